// The floor for bench:jobs: an rr jobs worker with nothing but the goridge wire format. It answers
// the pid handshake, exits on {"stop":true}, and acks every task with one pre-encoded frame (the
// body PHP's worker sends, {"type":2,"data":{}}). It decodes nothing: no context JSON, no payload,
// no container, no event.
import { answerEveryRequest, frame } from './raw-goridge-loop.mjs';

answerEveryRequest(frame(0, Buffer.from('{"type":2,"data":{}}'), [0]));
