import { expect } from 'chai';
import { EventDispatcher } from '../../../src/runtime/events/event-dispatcher.js';
import { StoppableEvent } from '../../../src/runtime/events/stoppable-event.js';

class PingEvent extends StoppableEvent {
  readonly calls: string[] = [];
}

class ChildPingEvent extends PingEvent {}

class PlainEvent {
  seen = 0;
}

describe('runtime/events EventDispatcher', () => {
  it('calls listeners by priority, higher first, equal priorities in registration order', async () => {
    const dispatcher = new EventDispatcher();
    const record = (name: string) => (event: PingEvent) => {
      event.calls.push(name);
    };
    dispatcher.addListener(PingEvent, record('a0'));
    dispatcher.addListener(PingEvent, record('b10'), 10);
    dispatcher.addListener(PingEvent, record('c-5'), -5);
    dispatcher.addListener(PingEvent, record('d0'));
    dispatcher.addListener(PingEvent, record('e10'), 10);
    const event = await dispatcher.dispatch(new PingEvent());
    expect(event.calls).to.deep.equal(['b10', 'e10', 'a0', 'd0', 'c-5']);
  });

  it('awaits each listener before calling the next', async () => {
    const dispatcher = new EventDispatcher();
    dispatcher.addListener(PingEvent, async (event) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      event.calls.push('slow');
    }, 1);
    dispatcher.addListener(PingEvent, (event) => {
      event.calls.push('after');
    });
    expect((await dispatcher.dispatch(new PingEvent())).calls).to.deep.equal(['slow', 'after']);
  });

  it('stops calling listeners once one stops propagation', async () => {
    const dispatcher = new EventDispatcher();
    dispatcher.addListener(PingEvent, (event) => {
      event.calls.push('first');
      event.stopPropagation();
    }, 5);
    dispatcher.addListener(PingEvent, (event) => {
      event.calls.push('second');
    });
    const event = await dispatcher.dispatch(new PingEvent());
    expect(event.calls).to.deep.equal(['first']);
    expect(event.isPropagationStopped).to.equal(true);
  });

  it('calls no listener for an event stopped before dispatch', async () => {
    const dispatcher = new EventDispatcher();
    dispatcher.addListener(PingEvent, (event) => {
      event.calls.push('listener');
    });
    const event = new PingEvent();
    expect(event.isPropagationStopped).to.equal(false);
    event.stopPropagation();
    expect((await dispatcher.dispatch(event)).calls).to.deep.equal([]);
  });

  it('dispatches to listeners of the exact class only', async () => {
    const dispatcher = new EventDispatcher();
    dispatcher.addListener(PingEvent, (event) => {
      event.calls.push('parent listener');
    });
    expect((await dispatcher.dispatch(new ChildPingEvent())).calls).to.deep.equal([]);
    expect((await dispatcher.dispatch(new PingEvent())).calls).to.deep.equal(['parent listener']);
  });

  it('dispatches events that do not extend StoppableEvent', async () => {
    const dispatcher = new EventDispatcher();
    dispatcher.addListener(PlainEvent, (event) => {
      event.seen += 1;
    });
    expect((await dispatcher.dispatch(new PlainEvent())).seen).to.equal(1);
  });

  it('rejects with the listener error itself and calls no later listener', async () => {
    const dispatcher = new EventDispatcher();
    const failure = new RangeError('listener broke');
    dispatcher.addListener(PingEvent, async () => {
      throw failure;
    }, 1);
    let laterCalled = false;
    dispatcher.addListener(PingEvent, () => {
      laterCalled = true;
    });
    let caught: unknown;
    try {
      await dispatcher.dispatch(new PingEvent());
    } catch (error) {
      caught = error;
    }
    expect(caught).to.equal(failure);
    expect(laterCalled).to.equal(false);
  });

  it('removes every registration of a listener and reports whether it found one', async () => {
    const dispatcher = new EventDispatcher();
    const listener = (event: PingEvent) => {
      event.calls.push('removed');
    };
    const kept = (event: PingEvent) => {
      event.calls.push('kept');
    };
    dispatcher.addListener(PingEvent, listener);
    dispatcher.addListener(PingEvent, kept);
    dispatcher.addListener(PingEvent, listener, 3);
    expect(dispatcher.getListeners(PingEvent)).to.deep.equal([listener, listener, kept]);
    expect(dispatcher.removeListener(PingEvent, listener)).to.equal(true);
    expect(dispatcher.removeListener(PingEvent, listener)).to.equal(false);
    expect(dispatcher.removeListener(PlainEvent, () => undefined)).to.equal(false);
    expect((await dispatcher.dispatch(new PingEvent())).calls).to.deep.equal(['kept']);
  });

  it('answers hasListeners per class and overall', () => {
    const dispatcher = new EventDispatcher();
    expect(dispatcher.hasListeners()).to.equal(false);
    const listener = () => undefined;
    dispatcher.addListener(PingEvent, listener);
    expect(dispatcher.hasListeners(PingEvent)).to.equal(true);
    expect(dispatcher.hasListeners(PlainEvent)).to.equal(false);
    expect(dispatcher.hasListeners()).to.equal(true);
    dispatcher.removeListener(PingEvent, listener);
    expect(dispatcher.hasListeners(PingEvent)).to.equal(false);
    expect(dispatcher.hasListeners()).to.equal(false);
  });

  it('applies listeners added during a dispatch from the next dispatch on', async () => {
    const dispatcher = new EventDispatcher();
    dispatcher.addListener(PingEvent, (event) => {
      event.calls.push('first');
      dispatcher.addListener(PingEvent, (later) => {
        later.calls.push('added');
      });
    }, 1);
    expect((await dispatcher.dispatch(new PingEvent())).calls).to.deep.equal(['first']);
    expect((await dispatcher.dispatch(new PingEvent())).calls).to.deep.equal(['first', 'added']);
  });

  it('rejects a non-finite priority and a non-function listener', () => {
    const dispatcher = new EventDispatcher();
    expect(() => dispatcher.addListener(PingEvent, () => undefined, Number.NaN)).to.throw(TypeError, /finite number/);
    expect(() => dispatcher.addListener(PingEvent, 'nope' as never)).to.throw(TypeError, /must be a function/);
  });
});
