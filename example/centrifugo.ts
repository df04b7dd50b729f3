/**
 * The example's real-time part: Centrifugo calls rr's centrifuge plugin for every connect,
 * subscribe and RPC, and these listeners answer in the `centrifuge` worker pool; the HTTP route
 * `POST /chat/<room>` publishes into a channel through the Centrifugo API. See README ("Centrifugo")
 * and docs/centrifugo.md; `npm run example:centrifugo` runs Centrifugo with example/centrifugo.json.
 *
 *   node example/centrifugo-client.mjs demo-token-ada        connects as ada, joins chat:lobby, prints what arrives
 *   curl -H 'content-type: application/json' -d '{"text":"hi"}' http://127.0.0.1:8080/chat/lobby   publishes from HTTP
 */
import { z } from 'zod';
import { AsEventListener, Controller, Inject, Post, Service, type RouteContext } from 'roadrunner-runtime';
import { CentrifugoApi, CentrifugoApiConnectionError, ConnectEvent, RPCEvent, SubscribeEvent } from 'roadrunner-runtime/centrifugo';

/** Demo credentials; a real app looks the token up in its session store or verifies a signature. */
const USERS_BY_TOKEN: Readonly<Record<string, { id: string; name: string }>> = {
  'demo-token-ada': { id: 'ada', name: 'Ada' },
  'demo-token-bob': { id: 'bob', name: 'Bob' },
};

/** What a client sends as its connect data: `new Centrifuge(url, { data: { token } })`. */
const ConnectData = z.object({ token: z.string() });

@Service()
@AsEventListener({ event: ConnectEvent, method: 'connect' })
@AsEventListener({ event: SubscribeEvent, method: 'subscribe' })
@AsEventListener({ event: RPCEvent, method: 'rpc' })
export class ChatListener {
  /** Authenticates from the connect data; an unknown token gets no answer, so the bridge refuses it (3507). */
  connect(event: ConnectEvent): void {
    const user = USERS_BY_TOKEN[event.parseData(ConnectData).token]; // malformed data: the client gets 107
    if (!user) return;
    event.respond({ user: user.id, info: { name: user.name }, data: { welcome: `hello ${user.name}` } });
    event.stopPropagation();
  }

  /** `chat:*` rooms are open to every connected user; any other channel is refused (103). */
  subscribe(event: SubscribeEvent): void {
    if (event.channel.startsWith('chat:')) event.respond({});
  }

  /** `whoami` answers with the caller's user id; other methods are unknown (104). */
  rpc(event: RPCEvent): void {
    if (event.method === 'whoami') event.respond({ data: { user: event.user } });
  }
}

const Message = z.object({ text: z.string().min(1).max(500) });

@Controller('/chat')
@Service({ scope: 'request' })
export class ChatController {
  constructor(@Inject(CentrifugoApi) private readonly centrifugo: CentrifugoApi) {}

  @Post('/:room')
  async publish(request: Request, { params }: RouteContext): Promise<Response> {
    const message = Message.safeParse(await request.json().catch(() => undefined));
    if (!message.success) return Response.json({ error: 'send {"text": "..."}' }, { status: 400 });
    try {
      const position = await this.centrifugo.publish(`chat:${params['room']}`, { text: message.data.text, from: 'http' });
      return Response.json(position, { status: 202 });
    } catch (error) {
      if (error instanceof CentrifugoApiConnectionError) return Response.json({ error: 'Centrifugo is not running: npm run example:centrifugo' }, { status: 503 });
      throw error; // anything else is a 500, with the details in the worker's log
    }
  }
}
