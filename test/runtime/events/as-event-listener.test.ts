import { expect } from 'chai';
import { EventListenerError } from '../../../src/runtime/errors.js';
import { AsEventListener, getEventListenerMetadata } from '../../../src/runtime/events/as-event-listener.js';
import { StoppableEvent } from '../../../src/runtime/events/stoppable-event.js';

class ConnectEvent extends StoppableEvent {}
class RefreshEvent extends StoppableEvent {}

describe('runtime/events @AsEventListener', () => {
  it('stores one entry per decorator, in source order, with method and priority', () => {
    @AsEventListener({ event: ConnectEvent, method: 'handleConnect', priority: 10 })
    @AsEventListener({ event: RefreshEvent, method: 'handleRefresh' })
    @AsEventListener({ event: ConnectEvent, method: 'audit', priority: -1 })
    class ChatListener {
      handleConnect(): void {}
      handleRefresh(): void {}
      audit(): void {}
    }

    expect(getEventListenerMetadata(ChatListener)).to.deep.equal([
      { event: ConnectEvent, method: 'handleConnect', priority: 10 },
      { event: RefreshEvent, method: 'handleRefresh', priority: 0 },
      { event: ConnectEvent, method: 'audit', priority: -1 },
    ]);
  });

  it('defaults the method to on<EventClassName>, else handle', () => {
    @AsEventListener({ event: ConnectEvent })
    class Conventional {
      onConnectEvent(): void {}
      handle(): void {}
    }
    @AsEventListener({ event: ConnectEvent })
    class Generic {
      handle(): void {}
    }
    expect(getEventListenerMetadata(Conventional)[0]?.method).to.equal('onConnectEvent');
    expect(getEventListenerMetadata(Generic)[0]?.method).to.equal('handle');
  });

  it('accepts inherited methods', () => {
    class Base {
      handleConnect(): void {}
    }
    @AsEventListener({ event: ConnectEvent, method: 'handleConnect' })
    class Derived extends Base {}
    expect(getEventListenerMetadata(Derived)).to.have.length(1);
  });

  it('is not inherited by subclasses, and is empty for plain classes', () => {
    @AsEventListener({ event: ConnectEvent, method: 'handle' })
    class Parent {
      handle(): void {}
    }
    class Child extends Parent {}
    expect(getEventListenerMetadata(Child)).to.deep.equal([]);
    expect(getEventListenerMetadata(class Plain {})).to.deep.equal([]);
  });

  it('returns frozen metadata', () => {
    @AsEventListener({ event: ConnectEvent, method: 'handle' })
    class Frozen {
      handle(): void {}
    }
    const metadata = getEventListenerMetadata(Frozen);
    expect(Object.isFrozen(metadata)).to.equal(true);
    expect(Object.isFrozen(metadata[0])).to.equal(true);
  });

  it('fails at decoration time for a missing method, naming class, method and event', () => {
    const decorate = () => {
      @AsEventListener({ event: ConnectEvent, method: 'handleConect' })
      class Typo {
        handleConnect(): void {}
      }
      return Typo;
    };
    expect(decorate).to.throw(EventListenerError, '@AsEventListener on Typo: the class has no method "handleConect" (listening to ConnectEvent)');
  });

  it('fails when neither default method exists', () => {
    const decorate = () => {
      @AsEventListener({ event: RefreshEvent })
      class Nothing {
        run(): void {}
      }
      return Nothing;
    };
    expect(decorate).to.throw(EventListenerError, 'the class has neither an "onRefreshEvent" nor a "handle" method');
  });

  it('rejects a missing event class and a non-finite priority', () => {
    class Target {
      handle(): void {}
    }
    expect(() => AsEventListener({ event: undefined as never })(Target)).to.throw(EventListenerError, '"event" must be an event class');
    expect(() => AsEventListener({ event: ConnectEvent, priority: Infinity })(Target)).to.throw(EventListenerError, '"priority" must be a finite number');
  });
});
