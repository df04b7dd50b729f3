// A Centrifugo client for the example (the `centrifuge` JavaScript SDK; Node 20 needs `ws` for
// its WebSocket): connects with a demo token as connect data, asks the app who it is over RPC,
// joins chat:lobby and prints what is published there. Ctrl-C stops it.
//   node example/centrifugo-client.mjs demo-token-ada
import { Centrifuge } from 'centrifuge';
import WebSocket from 'ws';

const token = process.argv[2] ?? 'demo-token-ada';
const client = new Centrifuge('ws://127.0.0.1:8000/connection/websocket', { websocket: WebSocket, data: { token } });
client.on('connected', async (ctx) => {
  console.log('connected:', ctx.data);
  console.log('whoami:', (await client.rpc('whoami', {})).data);
});
client.on('disconnected', (ctx) => {
  console.log(`disconnected: ${ctx.code} ${ctx.reason}`);
  process.exit(ctx.code === 0 ? 0 : 1);
});
const lobby = client.newSubscription('chat:lobby');
lobby.on('subscribed', () => console.log('joined chat:lobby; try: curl -H \'content-type: application/json\' -d \'{"text":"hi"}\' http://127.0.0.1:8080/chat/lobby'));
lobby.on('publication', (ctx) => console.log('chat:lobby:', ctx.data));
lobby.subscribe();
client.connect();
process.on('SIGINT', () => client.disconnect());
