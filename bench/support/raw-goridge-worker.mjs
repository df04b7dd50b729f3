// The floor for bench:http: an rr HTTP worker with nothing but the goridge wire format. It answers
// the pid handshake, exits on {"stop":true}, and answers every request with one pre-encoded
// frame: http.v1.Response{status: 200, headers: {Content-Type: [text/plain]}} and the body
// "Hello". It decodes nothing it does not have to: no request mapping, no container, no kernel.
import { answerEveryRequest, frame } from './raw-goridge-loop.mjs';

const CODEC_PROTO = 0x80;
// status 200 (field 1), headers {"Content-Type": {value: ["text/plain"]}} (field 2), as bytes
const context = Buffer.from('08c801121c0a0c436f6e74656e742d54797065120c0a0a746578742f706c61696e', 'hex');
answerEveryRequest(frame(CODEC_PROTO, Buffer.concat([context, Buffer.from('Hello')]), [context.length]));
