import { expect } from 'chai';
import { EventDispatcher } from '../../../src/runtime/events/event-dispatcher.js';
import { WorkerErrorEvent, WorkerStartEvent, WorkerStopEvent } from '../../../src/runtime/events/lifecycle-events.js';
import { StoppableEvent } from '../../../src/runtime/events/stoppable-event.js';

describe('runtime/events lifecycle events', () => {
  it('carry the mode, the stop reason and the error, and are stoppable', () => {
    const failure = new Error('boom');
    const start = new WorkerStartEvent('http');
    const stop = new WorkerStopEvent('jobs', 'control-stop');
    const error = new WorkerErrorEvent('centrifuge', failure);
    expect([start.mode, stop.mode, stop.reason, error.mode, error.error]).to.deep.equal(['http', 'jobs', 'control-stop', 'centrifuge', failure]);
    for (const event of [start, stop, error]) expect(event).to.be.instanceOf(StoppableEvent);
  });

  it('are told apart by the dispatcher', async () => {
    const dispatcher = new EventDispatcher();
    const seen: string[] = [];
    dispatcher.addListener(WorkerStartEvent, (event) => {
      seen.push(`start ${event.mode}`);
    });
    dispatcher.addListener(WorkerStopEvent, (event) => {
      seen.push(`stop ${event.reason}`);
    });
    await dispatcher.dispatch(new WorkerStopEvent('http', 'eof'));
    await dispatcher.dispatch(new WorkerErrorEvent('http', new Error('x')));
    await dispatcher.dispatch(new WorkerStartEvent('http'));
    expect(seen).to.deep.equal(['stop eof', 'start http']);
  });
});
