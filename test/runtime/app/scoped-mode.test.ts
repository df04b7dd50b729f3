import { modeContext } from '../../support/mode-context.js';
import { expect } from 'chai';
import { createContainer, currentScope, Inject, Service, SETTLED } from '../../../src/container/index.js';
import { scopedMode } from '../../../src/runtime/app/scoped-mode.js';
import { UNIT_OF_WORK, unitOfWorkBinding } from '../../../src/runtime/tokens.js';
import { Worker } from '../../../src/runtime/worker/worker.js';
import { UnitOfWork } from '../../../src/runtime/worker/unit-of-work.js';
import type { ModeContext } from '../../../src/runtime/app/define-app.js';
import { MemoryPeer, parts } from '../../support/memory-peer.js';

@Service({ scope: 'request' })
class RequestState {
  static created = 0;
  readonly id: number;
  disposed = false;
  constructor(@Inject(UNIT_OF_WORK) readonly unit: UnitOfWork) {
    this.id = ++RequestState.created;
  }
  [Symbol.dispose]() {
    this.disposed = true;
  }
}

@Service({ resettable: true })
class Counter {
  seen: string[] = [];
  failNextReset = false;
  reset() {
    this.seen = [];
    if (this.failNextReset) throw new Error('counter reset failed');
  }
}

@Service({ scope: 'request' })
class SlowToClose {
  static closed = 0;
  async [Symbol.asyncDispose]() {
    await new Promise((resolve) => setImmediate(resolve));
    SlowToClose.closed += 1;
  }
}

/** Deep code that finds the current unit without being handed it. */
function bodyOfCurrentUnit(): string {
  return currentScope().get(RequestState).unit.body.toString();
}

for (const adapter of ['inversify', 'tsyringe'] as const) {
  describe(`scopedMode (${adapter})`, () => {
    function serve() {
      const container = createContainer({ adapter, services: [RequestState, Counter], bindings: [unitOfWorkBinding] });
      const logs: string[] = [];
      const context: ModeContext = modeContext({ mode: 'jobs', log: (m) => void logs.push(m) });
      const states: RequestState[] = [];
      const mode = scopedMode(context, {
        container,
        async handle(unit, scope) {
          const state = scope.get(RequestState);
          states.push(state);
          const counter = container.get(Counter);
          counter.seen.push(bodyOfCurrentUnit());
          if (unit.body.toString() === 'poison') counter.failNextReset = true;
          await unit.respond(Buffer.from(`${state.id}:${counter.seen.join(',')}`));
        },
      });
      const peer = new MemoryPeer();
      const done = new Worker({ transport: peer.transport, handler: mode.handle, afterUnit: (u) => mode.afterUnit!(u), log: () => {} }).run();
      return { peer, done, states, logs, container, mode };
    }

    it('gives each unit its own scope, reachable from deep code, and disposes it after the reply', async () => {
      const { peer, done, states } = serve();
      peer.request('', 'a');
      peer.request('', 'b');
      await peer.waitForSent(2);
      peer.end();
      await done;
      expect(states).to.have.length(2);
      expect(states[0]).to.not.equal(states[1]);
      expect(states.map((s) => s.unit.body.toString())).to.deep.equal(['a', 'b']);
      expect(states.every((s) => s.disposed)).to.equal(true);
    });

    it('resets Resettable singletons after every unit, so nothing leaks into the next', async () => {
      const { peer, done } = serve();
      peer.request('', 'a');
      peer.request('', 'b');
      const frames = await peer.waitForSent(2);
      peer.end();
      await done;
      expect(parts(frames[0]!).body).to.match(/:a$/);
      expect(parts(frames[1]!).body).to.match(/:b$/);
    });

    it('asks rr to replace the worker when a reset fails', async () => {
      const { peer, done, logs } = serve();
      peer.request('', 'poison');
      peer.request('', 'next');
      const frames = await peer.waitForSent(2);
      expect(parts(frames[1]!).context).to.equal('{"stop":true}');
      expect(logs.join('\n')).to.contain('counter reset failed');
      peer.controlStop();
      await done;
    });

    it('disposes the container on shutdown', async () => {
      const { mode, container, peer, done } = serve();
      peer.end();
      await done;
      await mode.shutdown!();
      expect(() => container.get(Counter)).to.throw(/disposed/);
    });

    it('ends a unit synchronously when its scope built nothing to dispose asynchronously, and waits for one that did', async () => {
      SlowToClose.closed = 0;
      const container = createContainer({ adapter, services: [Counter, SlowToClose] });
      const mode = scopedMode(modeContext({ mode: 'jobs' }), {
        container,
        handle(unit, scope) {
          if (unit.body.toString() === 'slow') scope.get(SlowToClose);
          return unit.respond();
        },
      });
      const unit = (body: string) => new UnitOfWork({ send: () => SETTLED }, { flags: 0, context: Buffer.alloc(0), body: Buffer.from(body) });
      const plain = unit('plain');
      expect(mode.handle(plain)).to.equal(SETTLED);
      expect(mode.afterUnit!(plain)).to.deep.equal({ replaceWorker: false });

      const slow = unit('slow');
      expect(mode.handle(slow)).to.equal(SETTLED);
      const after = mode.afterUnit!(slow);
      expect(after).to.be.instanceOf(Promise);
      expect(SlowToClose.closed).to.equal(0);
      expect(await after).to.deep.equal({ replaceWorker: false });
      expect(SlowToClose.closed).to.equal(1);
    });
  });
}
