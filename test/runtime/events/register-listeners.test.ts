import { expect } from 'chai';
import { AsyncLocalStorage } from 'node:async_hooks';
import { EventListenerError } from '../../../src/runtime/errors.js';
import { AsEventListener } from '../../../src/runtime/events/as-event-listener.js';
import { EventDispatcher } from '../../../src/runtime/events/event-dispatcher.js';
import { registerListeners } from '../../../src/runtime/events/register-listeners.js';
import { StoppableEvent } from '../../../src/runtime/events/stoppable-event.js';

class JobEvent extends StoppableEvent {
  readonly seenBy: string[] = [];
}
class OtherEvent extends StoppableEvent {}

@AsEventListener({ event: JobEvent, method: 'onJob' })
class RequestScopedListener {
  constructor(readonly scopeId: string) {}

  onJob(event: JobEvent): void {
    event.seenBy.push(`scoped:${this.scopeId}`);
  }
}

@AsEventListener({ event: JobEvent, method: 'first', priority: 100 })
@AsEventListener({ event: OtherEvent, method: 'other' })
class AuditListener {
  first(event: JobEvent): void {
    event.seenBy.push('audit');
  }

  other(): void {}
}

describe('runtime/events registerListeners', () => {
  it('resolves the instance at dispatch time, on every dispatch, not at registration', async () => {
    const dispatcher = new EventDispatcher();
    const resolved: unknown[] = [];
    let counter = 0;
    registerListeners(dispatcher, [RequestScopedListener], (listenerClass) => {
      resolved.push(listenerClass);
      counter += 1;
      return new RequestScopedListener(String(counter));
    });
    expect(resolved, 'nothing resolved at registration').to.deep.equal([]);

    expect((await dispatcher.dispatch(new JobEvent())).seenBy).to.deep.equal(['scoped:1']);
    expect((await dispatcher.dispatch(new JobEvent())).seenBy).to.deep.equal(['scoped:2']);
    expect(resolved).to.deep.equal([RequestScopedListener, RequestScopedListener]);
  });

  it('resolves from the scope current while the event is dispatched', async () => {
    const dispatcher = new EventDispatcher();
    const currentScope = new AsyncLocalStorage<Map<unknown, object>>();
    registerListeners(dispatcher, [RequestScopedListener], (listenerClass) => {
      const scope = currentScope.getStore();
      if (scope === undefined) throw new Error('no scope');
      return scope.get(listenerClass) as object;
    });
    const inScope = (id: string) =>
      currentScope.run(new Map([[RequestScopedListener, new RequestScopedListener(id)]]), () => dispatcher.dispatch(new JobEvent()));

    const [a, b] = await Promise.all([inScope('request-a'), inScope('request-b')]);
    expect(a.seenBy).to.deep.equal(['scoped:request-a']);
    expect(b.seenBy).to.deep.equal(['scoped:request-b']);
  });

  it('accepts an async resolver and keeps priorities across classes', async () => {
    const dispatcher = new EventDispatcher();
    const audit = new AuditListener();
    registerListeners(dispatcher, [RequestScopedListener, AuditListener], async (listenerClass) =>
      listenerClass === AuditListener ? audit : new RequestScopedListener('x'),
    );
    expect((await dispatcher.dispatch(new JobEvent())).seenBy).to.deep.equal(['audit', 'scoped:x']);
    expect(dispatcher.hasListeners(OtherEvent)).to.equal(true);
    expect(dispatcher.getListeners(JobEvent).map((listener) => listener.name)).to.deep.equal(['AuditListener.first', 'RequestScopedListener.onJob']);
  });

  it('returns a function that removes exactly the listeners it added', async () => {
    const dispatcher = new EventDispatcher();
    const own = (event: JobEvent) => {
      event.seenBy.push('own');
    };
    dispatcher.addListener(JobEvent, own);
    const unregister = registerListeners(dispatcher, [AuditListener], () => new AuditListener());
    unregister();
    expect(dispatcher.hasListeners(OtherEvent)).to.equal(false);
    expect((await dispatcher.dispatch(new JobEvent())).seenBy).to.deep.equal(['own']);
  });

  it('propagates an error thrown by the listener method unwrapped', async () => {
    const failure = new Error('job failed');
    @AsEventListener({ event: JobEvent, method: 'handle' })
    class Failing {
      handle(): Promise<void> {
        return Promise.reject(failure);
      }
    }
    const dispatcher = new EventDispatcher();
    registerListeners(dispatcher, [Failing], () => new Failing());
    let caught: unknown;
    await dispatcher.dispatch(new JobEvent()).catch((error: unknown) => {
      caught = error;
    });
    expect(caught).to.equal(failure);
  });

  it('refuses a class without @AsEventListener', () => {
    class Forgotten {
      handle(): void {}
    }
    expect(() => registerListeners(new EventDispatcher(), [Forgotten], () => new Forgotten())).to.throw(
      EventListenerError,
      'registerListeners: Forgotten has no @AsEventListener decorator',
    );
  });

  it('fails the dispatch when the resolved instance lacks the method', async () => {
    const dispatcher = new EventDispatcher();
    registerListeners(dispatcher, [RequestScopedListener], () => ({}));
    let caught: unknown;
    await dispatcher.dispatch(new JobEvent()).catch((error: unknown) => {
      caught = error;
    });
    expect(caught).to.be.instanceOf(EventListenerError);
    expect((caught as Error).message).to.equal(
      'RequestScopedListener.onJob: the instance resolved for RequestScopedListener has no method "onJob" (listening to JobEvent)',
    );
  });
});
