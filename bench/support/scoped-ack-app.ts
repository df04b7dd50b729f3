/**
 * bench:jobs's runtime floor: the worker loop and scopedMode (a scope per task, the reset, the
 * disposal) around a handler that acks every task without reading it. Ours minus this is what the
 * jobs bridge itself costs; this minus the raw worker is what the runtime costs.
 */
import { createContainer } from '../../src/container/index.js';
import { defineApp } from '../../src/runtime/app/define-app.js';
import { scopedMode } from '../../src/runtime/app/scoped-mode.js';

const ACK = Buffer.from('{"type":2,"data":{}}');
const container = createContainer({});

export default defineApp({ modes: { jobs: (context) => scopedMode(context, { container, handle: (unit) => unit.respond(ACK) }) } });
