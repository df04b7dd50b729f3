/**
 * Fuzzing the Centrifugo decoder (issue 13, "Must show" 4): 100,000 proxy requests, random and
 * mutated from valid ones (context JSON and protobuf body), each must end in an event
 * (`InvalidEvent` included, carrying a `CentrifugoDecodeError`) whose default reply encodes, never
 * in an exception or a hang. Then a share of them goes through the real worker loop, which must
 * answer each with exactly one frame and keep serving. The generator is seeded: a failure prints
 * the seed and the input.
 */
import { expect } from 'chai';
import { createContainer } from '../../../src/container/index.js';
import { defineApp } from '../../../src/runtime/app/define-app.js';
import { FrameFlag } from '../../../src/runtime/goridge/flags.js';
import {
  centrifugoBindings,
  CentrifugoDecodeError,
  CentrifugoEvent,
  centrifugeMode,
  centrifugoEventFrom,
  decodeProxyResponse,
  encodeCentrifugoReply,
  encodeProxyRequest,
  InvalidEvent,
  type ProxyCallType,
} from '../../../src/bridges/centrifugo/index.js';
import { startCentrifugeApp } from './support.js';

const SEED = Number(process.env.CENTRIFUGO_FUZZ_SEED ?? 0x5eed13);
const INPUTS = 100_000;

/** mulberry32: small, fast, seedable. */
function prng(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (max: number) => Math.floor(next() * max);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  const bytes = (length: number) => Buffer.from(Array.from({ length }, () => int(256)));
  return { next, int, pick, bytes };
}

const CALLS: ProxyCallType[] = ['connect', 'refresh', 'subscribe', 'publish', 'rpc', 'sub_refresh'];
const RR_TYPES = ['connect', 'refresh', 'subscribe', 'publish', 'rpc', 'subrefresh', 'sub_refresh', 'notifychannelstate', 'notifycacheempty', '', 'CONNECT', '__proto__'];
const JSON_VALUES = ['{"token":"abc"}', '[1,2,3]', '"text"', '42', 'null', '{"nested":{"a":[true,false,{"b":"c"}]}}', '{}', '{"k":"\\u00e9\\ud83d\\ude00"}'];

function validInput(random: ReturnType<typeof prng>): { context: Buffer; body: Buffer } {
  const call = random.pick(CALLS);
  const binary = random.int(4) === 0;
  const payload = Buffer.from(random.pick(JSON_VALUES));
  const body = encodeProxyRequest(call, {
    client: `client-${random.int(1000)}`,
    transport: random.pick(['websocket', 'http_stream', 'sse']),
    protocol: random.pick(['json', 'protobuf']),
    encoding: binary ? 'binary' : 'json',
    user: random.pick(['', 'alice', 'bob']),
    channel: random.pick(['chat:a', 'news', '$private', '']),
    method: random.pick(['whoami', 'x', '']),
    name: 'js',
    version: '5.8.0',
    channels: random.int(2) ? ['a', 'b'] : [],
    ...(binary ? { b64data: payload.toString('base64') } : { data: payload }),
    ...(random.int(2) && call !== 'connect' ? { meta: Buffer.from('{"role":"user"}') } : {}),
  } as never);
  const rrType = call === 'sub_refresh' ? random.pick(['subrefresh', 'sub_refresh']) : call;
  const context = Buffer.from(JSON.stringify({ 'content-type': ['application/grpc'], 'user-agent': ['grpc-go/1.7'], type: [rrType] }));
  return { context, body: Buffer.from(body) };
}

function mutate(random: ReturnType<typeof prng>, input: Buffer): Buffer {
  const bytes = Buffer.from(input);
  switch (random.int(7)) {
    case 0: // flip bits
      for (let i = random.int(4) + 1; i > 0 && bytes.length > 0; i--) bytes[random.int(bytes.length)]! ^= 1 << random.int(8);
      return bytes;
    case 1: // truncate
      return bytes.subarray(0, random.int(bytes.length + 1));
    case 2: // insert random bytes
      return Buffer.concat([bytes.subarray(0, random.int(bytes.length + 1)), random.bytes(random.int(8) + 1), bytes.subarray(random.int(bytes.length + 1))]);
    case 3: // overwrite one byte with an extreme value (a huge varint, a wrong wire type)
      if (bytes.length > 0) bytes[random.int(bytes.length)] = random.pick([0x00, 0x7f, 0x80, 0xff, 0x0f, 0x0b, 0x0c]);
      return bytes;
    case 4: // duplicate a slice
      return Buffer.concat([bytes, bytes.subarray(random.int(bytes.length + 1))]);
    case 5: // append a field with a wrong or unknown tag
      return Buffer.concat([bytes, Buffer.from([random.int(256), random.int(256), random.int(256)])]);
    default:
      return random.bytes(random.int(64));
  }
}

function mutatedContext(random: ReturnType<typeof prng>, context: Buffer): Buffer {
  switch (random.int(5)) {
    case 0:
      return mutate(random, context);
    case 1:
      return Buffer.from(JSON.stringify({ type: [random.pick(RR_TYPES)] }));
    case 2:
      return Buffer.from(JSON.stringify(random.pick([{ type: 'connect' }, { type: [] }, { type: [1] }, [], null, 'connect', { type: ['rpc'], x: {} }])));
    case 3:
      return Buffer.alloc(0);
    default:
      return context;
  }
}

/** The n-th fuzz input, deterministically: a quarter valid, a quarter pure noise, half mutated. */
function inputs(seed: number, count: number): Array<{ context: Buffer; body: Buffer }> {
  const random = prng(seed);
  return Array.from({ length: count }, () => {
    const valid = validInput(random);
    switch (random.int(4)) {
      case 0:
        return valid;
      case 1:
        return { context: random.bytes(random.int(48)), body: random.bytes(random.int(96)) };
      case 2:
        return { context: valid.context, body: mutate(random, valid.body) };
      default:
        return { context: mutatedContext(random, valid.context), body: random.int(2) ? mutate(random, valid.body) : valid.body };
    }
  });
}

describe('Centrifugo decoder fuzz', function () {
  this.timeout(120_000);

  it(`turns ${INPUTS.toLocaleString('en')} random and mutated proxy requests into events or typed errors, each with an encodable reply (seed ${SEED}; rerun with CENTRIFUGO_FUZZ_SEED=${SEED})`, () => {
    const counts = { events: 0, invalid: 0 };
    const kinds = new Set<string>();
    for (const [index, { context, body }] of inputs(SEED, INPUTS).entries()) {
      const where = () => `input #${index} (seed ${SEED}): context ${context.toString('hex')} body ${body.toString('hex')}`;
      let reply: Uint8Array;
      let type: ProxyCallType;
      try {
        const event = centrifugoEventFrom(context, body);
        if (event instanceof InvalidEvent) {
          expect(event.decodeError, where()).to.be.instanceOf(CentrifugoDecodeError);
          counts.invalid += 1;
        } else {
          expect(event, where()).to.be.instanceOf(CentrifugoEvent);
          counts.events += 1;
        }
        kinds.add(event.type);
        type = event.type === 'invalid' ? 'rpc' : event.type;
        reply = encodeCentrifugoReply(event);
      } catch (error) {
        throw new Error(`${where()} threw ${(error as Error).stack}`);
      }
      // Every default reply is a well-formed response of the call's type (an error for `invalid`).
      const decoded = decodeProxyResponse(type, reply);
      expect(decoded.result !== undefined || decoded.error !== undefined || decoded.disconnect !== undefined, where()).to.equal(true);
    }
    expect(counts.events + counts.invalid).to.equal(INPUTS);
    // The corpus reaches every event type and both outcomes.
    expect([...kinds].sort()).to.deep.equal(['connect', 'invalid', 'publish', 'refresh', 'rpc', 'sub_refresh', 'subscribe']);
    expect(counts.invalid).to.be.greaterThan(INPUTS / 4);
    expect(counts.events).to.be.greaterThan(INPUTS / 4);
  });

  it('keeps the worker answering: 2,000 of them through the worker loop get one reply frame each, then a valid call is served', async () => {
    const container = createContainer({ bindings: [...centrifugoBindings()] });
    const worker = startCentrifugeApp(defineApp({ modes: { centrifuge: centrifugeMode({ container }) } }));
    for (const { context, body } of inputs(SEED + 1, 2000)) {
      const frame = await worker.raw(context, body);
      expect(frame.flags & FrameFlag.ERROR, 'an ERROR frame').to.equal(0);
      expect(frame.payload.length - (frame.options[0] ?? 0), 'an empty reply').to.be.greaterThan(0);
    }
    expect(worker.peer.sent.length, 'frames sent').to.equal(2000);
    expect((await worker.call('rpc', { method: 'anything' })).error?.code).to.equal(104);
    expect(await worker.stop()).to.equal(0);
  });
});
