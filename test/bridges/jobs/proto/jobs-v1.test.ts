import { expect } from 'chai';
import {
  decodeDeclareRequest,
  decodePipelines,
  decodePushBatchRequest,
  decodePushRequest,
  decodeStats,
  encodeDeclareRequest,
  encodePipelines,
  encodePushBatchRequest,
  encodePushRequest,
  encodeStats,
  jobMessage,
  jobOptions,
} from '../../../../src/bridges/jobs/proto/jobs-v1.js';
import { ProtocolError } from '../../../../src/runtime/errors.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('jobs.v1 protobuf messages', () => {
  it('encodes a PushRequest with the field numbers of roadrunner-server/api v4.24.0 (worked by hand)', () => {
    // Job{ job "a" (1), id "1" (2), options (5){ pipeline "p" (2) } } inside PushRequest.job (1)
    const bytes = encodePushRequest(jobMessage({ job: 'a', id: '1', options: jobOptions({ pipeline: 'p' }) }));
    expect(hex(bytes)).to.equal('0a0b' + '0a0161' + '120131' + '2a03' + '120170');
  });

  it('round-trips every Job field: payload bytes, multi-valued headers, all options (Kafka included)', () => {
    const job = jobMessage({
      job: 'mail.send',
      id: 'ü-1',
      payload: new Uint8Array([0, 1, 255]),
      headers: { tenant: ['acme'], trail: ['a', 'b'], empty: [] },
      options: jobOptions({ priority: 7, pipeline: 'emails', delay: 30, autoAck: true, topic: 't', metadata: 'm', offset: 2 ** 40, partition: 3 }),
    });
    const decoded = decodePushRequest(encodePushRequest(job));
    expect({ ...decoded, headers: { ...decoded.headers }, payload: [...decoded.payload] }).to.deep.equal({ ...job, payload: [0, 1, 255] });
    const batch = decodePushBatchRequest(encodePushBatchRequest([job, jobMessage({ id: '2', job: 'x' })]));
    expect(batch.map((item) => item.id)).to.deep.equal(['ü-1', '2']);
    expect(batch[1]!.options).to.deep.equal(jobOptions());
  });

  it('keeps a header named __proto__ as a header', () => {
    const headers = JSON.parse('{"__proto__":["x"]}') as Record<string, string[]>;
    const decoded = decodePushRequest(encodePushRequest(jobMessage({ id: '1', headers })));
    expect(Object.keys(decoded.headers)).to.deep.equal(['__proto__']);
    expect(Object.getPrototypeOf(decoded.headers)).to.equal(null);
  });

  it('round-trips Pipelines, DeclareRequest and Stats', () => {
    expect(decodePipelines(encodePipelines(['a', 'b']))).to.deep.equal(['a', 'b']);
    expect(decodePipelines(new Uint8Array(0))).to.deep.equal([]);
    expect({ ...decodeDeclareRequest(encodeDeclareRequest({ name: 'x', driver: 'memory', priority: '10', prefetch: '100' })) }).to.deep.equal({
      name: 'x',
      driver: 'memory',
      priority: '10',
      prefetch: '100',
    });
    const stat = { pipeline: 'p', driver: 'amqp', queue: 'q', active: 5, delayed: 1, reserved: 2, ready: true, priority: 10 };
    expect(decodeStats(encodeStats([stat, { ...stat, pipeline: 'empty', active: 0, delayed: 0, reserved: 0, ready: false, priority: 0 }]))).to.deep.equal([
      stat,
      { ...stat, pipeline: 'empty', active: 0, delayed: 0, reserved: 0, ready: false, priority: 0 },
    ]);
  });

  it('skips fields it does not know and fails malformed bytes with a ProtocolError naming the message', () => {
    // An unknown varint field 15 before the pipelines.
    expect(decodePipelines(Buffer.from('78 01 0a 01 61'.replace(/ /g, ''), 'hex'))).to.deep.equal(['a']);
    expect(() => decodeStats(Buffer.from('0a05', 'hex'))).to.throw(ProtocolError, /^malformed jobs\.v1\.Stats \(2 bytes\)/);
    expect(() => decodePipelines(Buffer.from('0a', 'hex'))).to.throw(ProtocolError, /jobs\.v1\.Pipelines/);
  });
});
