import { expect } from 'chai';
import { decodeTask, JobDecodeError } from '../../../src/bridges/jobs/index.js';

const bytes = (text: string) => Buffer.from(text);

function decodeError(context: string): JobDecodeError {
  try {
    decodeTask(bytes(context), bytes(''));
  } catch (error) {
    expect(error).to.be.instanceOf(JobDecodeError);
    return error as JobDecodeError;
  }
  expect.fail('expected a JobDecodeError');
}

describe('decodeTask', () => {
  // The contexts below are what each rr v2025.1.15 driver's Item.Context() writes.
  it('reads the memory driver’s context (no queue, headers as pushed)', () => {
    const task = decodeTask(bytes('{"id":"1","job":"a","driver":"memory","headers":{"x":["1"]},"pipeline":"default"}'), bytes('{}'));
    expect(task).to.deep.include({ id: '1', job: 'a', driver: 'memory', pipeline: 'default', queue: undefined, topic: undefined, partition: undefined, offset: undefined });
    expect(task.headers).to.deep.equal({ x: ['1'] });
    expect(Buffer.from(task.payload).toString()).to.equal('{}');
  });

  it('reads AMQP’s (queue always there) and NATS’s (queue omitted when empty)', () => {
    expect(decodeTask(bytes('{"id":"1","job":"a","driver":"amqp","queue":"q","headers":null,"pipeline":"p"}'), bytes('')).queue).to.equal('q');
    expect(decodeTask(bytes('{"id":"1","job":"a","driver":"nats","headers":{"x-nats-subject":["s"]},"pipeline":"p"}'), bytes('')).queue).to.equal(undefined);
  });

  it('reads Kafka’s topic, partition and offset', () => {
    const task = decodeTask(bytes('{"id":"1","job":"a","driver":"kafka","queue":"t","headers":null,"pipeline":"p","topic":"t","partition":2,"offset":99}'), bytes(''));
    expect([task.topic, task.partition, task.offset]).to.deep.equal(['t', 2, 99]);
  });

  it('turns null headers (and a null value list, Go’s nil slice) into empty ones', () => {
    expect(decodeTask(bytes('{"id":"1","job":"a","headers":null}'), bytes('')).headers).to.deep.equal({});
    expect(decodeTask(bytes('{"id":"1","job":"a","headers":{"a":null,"b":["x"]}}'), bytes('')).headers).to.deep.equal({ a: [], b: ['x'] });
  });

  it('defaults a missing pipeline and driver to "unknown", as PHP’s client does, and ignores unknown keys', () => {
    const task = decodeTask(bytes('{"id":"1","job":"a","future":{"x":1}}'), bytes(''));
    expect([task.pipeline, task.driver]).to.deep.equal(['unknown', 'unknown']);
  });

  it('refuses what rr never writes with a typed error naming the key, never quoting values', () => {
    const cases: Array<[string, string, string]> = [
      ['secret', '', 'not JSON (6 bytes)'],
      ['["secret"]', '', 'expected a JSON object, got a list'],
      ['null', '', 'expected a JSON object, got null'],
      ['{"job":"a"}', 'id', 'expected a non-empty string, got nothing'],
      ['{"id":"","job":"a"}', 'id', 'expected a non-empty string, got a string'],
      ['{"id":7,"job":"a"}', 'id', 'expected a non-empty string, got a number'],
      ['{"id":"1"}', 'job', 'expected a string, got nothing'],
      ['{"id":"1","job":"a","pipeline":["secret"]}', 'pipeline', 'expected a string, got a list'],
      ['{"id":"1","job":"a","headers":"secret"}', 'headers', 'expected null or an object of string lists, got a string'],
      ['{"id":"1","job":"a","headers":{"h":["ok",7]}}', 'headers', 'header "h": expected a list of strings, got a list'],
      ['{"id":"1","job":"a","partition":1.5}', 'partition', 'expected an integer, got a fractional number'],
      ['{"id":"1","job":"a","offset":"secret"}', 'offset', 'expected an integer, got a string'],
    ];
    for (const [context, field, problem] of cases) {
      const error = decodeError(context);
      expect(error.field, context).to.equal(field);
      expect(error.message, context).to.contain(problem).and.not.contain('secret');
    }
    expect(decodeError('{"id":"x9","job":"mail","headers":7}')).to.include({ jobId: 'x9', job: 'mail' });
  });
});
