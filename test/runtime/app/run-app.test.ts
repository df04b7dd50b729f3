import { expect } from 'chai';
import { defineApp } from '../../../src/runtime/app/define-app.js';
import { runApp } from '../../../src/runtime/app/run-app.js';
import { EventDispatcher } from '../../../src/runtime/events/event-dispatcher.js';
import { WorkerErrorEvent, WorkerStartEvent, WorkerStopEvent } from '../../../src/runtime/events/lifecycle-events.js';
import { FrameFlag } from '../../../src/runtime/goridge/flags.js';
import { MemoryPeer, parts } from '../../support/memory-peer.js';

describe('runApp', () => {
  it('dispatches start, error and stop lifecycle events around the worker loop', async () => {
    const events = new EventDispatcher();
    const seen: string[] = [];
    events.addListener(WorkerStartEvent, (e) => void seen.push(`start ${e.mode}`));
    events.addListener(WorkerErrorEvent, (e) => void seen.push(`error ${(e.error as Error).message}`));
    events.addListener(WorkerStopEvent, (e) => void seen.push(`stop ${e.reason}`));
    const app = defineApp({
      events,
      modes: {
        jobs: () => ({
          handle: async (unit) => {
            if (unit.body.toString() === 'bad') throw new Error('bad payload');
            await unit.respond(unit.body);
          },
        }),
      },
    });
    const peer = new MemoryPeer();
    const exit = runApp(app, { env: { RR_MODE: 'jobs' }, connect: () => peer.transport, log: () => {}, handleSignals: false });
    peer.request('', 'bad');
    peer.request('', 'good');
    await peer.waitForSent(2);
    peer.controlStop();
    expect(await exit).to.equal(0);
    expect(seen).to.deep.equal(['start jobs', 'error bad payload', 'stop control-stop']);
  });

  it("gives every mode the runtime config, defineApp's config winning over the file", async () => {
    let seen: unknown;
    const app = defineApp({
      config: { centrifugo: { lazy_boot: true } },
      modes: {
        jobs: (context) => {
          seen = context.config;
          return { handle: async (unit) => unit.respond() };
        },
      },
    });
    const peer = new MemoryPeer();
    const exit = runApp(app, { env: { RR_MODE: 'jobs' }, connect: () => peer.transport, log: () => {}, handleSignals: false });
    peer.controlStop();
    expect(await exit).to.equal(0);
    expect(seen).to.deep.include({ rr_config_path: '.rr.yaml', centrifugo: { lazy_boot: true } });
  });

  it('answers every unit with the error when the runtime config is invalid, naming the key', async () => {
    const logs: string[] = [];
    const app = defineApp({ config: { http: { lazy_boot: 'yes' as never } }, modes: { jobs: () => ({ handle: async (unit) => unit.respond() }) } });
    const peer = new MemoryPeer();
    const exit = runApp(app, { env: { RR_MODE: 'jobs' }, connect: () => peer.transport, log: (m) => void logs.push(m), handleSignals: false });
    peer.request('', 'job');
    const [reply] = await peer.waitForSent(1);
    expect(reply!.flags & FrameFlag.ERROR).to.equal(FrameFlag.ERROR);
    expect(reply!.payload.toString()).to.contain('defineApp({ config }): http.lazy_boot: expected a boolean, got "yes"');
    peer.controlStop();
    expect(await exit).to.equal(0);
    expect(logs.join('\n')).to.contain('http.lazy_boot');
  });

  it('returns 1 and never connects when RR_MODE is not served', async () => {
    const logs: string[] = [];
    let connected = false;
    const code = await runApp(defineApp({ modes: { http: () => ({ handle: async () => {} }) } }), {
      env: { RR_MODE: 'centrifuge' },
      connect: () => {
        connected = true;
        return new MemoryPeer().transport;
      },
      log: (m) => logs.push(m),
      handleSignals: false,
    });
    expect(code).to.equal(1);
    expect(connected).to.equal(false);
    expect(logs.join()).to.contain('RR_MODE=centrifuge is not supported by this application; registered modes: http');
  });

  it('says RR_MODE is missing when the process was not started by rr', async () => {
    const logs: string[] = [];
    const code = await runApp(defineApp({ modes: { http: () => ({ handle: async () => {} }) } }), {
      env: {},
      connect: () => new MemoryPeer().transport,
      log: (m) => logs.push(m),
      handleSignals: false,
    });
    expect(code).to.equal(1);
    expect(logs.join()).to.contain('RR_MODE is not set');
  });

  it('treats a throwing WorkerStartEvent listener as a boot failure served as ERROR frames', async () => {
    const events = new EventDispatcher();
    events.addListener(WorkerStartEvent, () => {
      throw new Error('warm-up failed');
    });
    const peer = new MemoryPeer();
    const exit = runApp(defineApp({ events, modes: { jobs: () => ({ handle: async (u) => u.respond() }) } }), {
      env: { RR_MODE: 'jobs' },
      connect: () => peer.transport,
      log: () => {},
      handleSignals: false,
    });
    peer.request('', 'x');
    const [frame] = await peer.waitForSent(1);
    expect(frame!.flags & FrameFlag.ERROR).to.equal(FrameFlag.ERROR);
    expect(parts({ ...frame!, options: [0] }).body).to.contain('warm-up failed');
    peer.end();
    expect(await exit).to.equal(0);
  });
});
