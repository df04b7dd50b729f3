import { expect } from 'chai';
import { decodeTask } from '../../../src/bridges/jobs/index.js';
import { TaskContextScanner } from '../../../src/bridges/jobs/task-context-scanner.js';

const bytes = (text: string) => Buffer.from(text);

describe('TaskContextScanner', () => {
  // What rr v2025.1.15's drivers write (Item.Context()), as in decode-task.test.ts.
  const driverContexts = {
    memory: '{"id":"0c6b2a7e-4a64-4d5b-9a43-5f6e1c9d2b11","job":"mail.send","driver":"memory","headers":null,"pipeline":"default"}',
    amqp: '{"id":"1","job":"a","driver":"amqp","queue":"q","headers":{"x-rr-attempts":["2"],"empty":null,"many":["a","b"]},"pipeline":"p"}',
    kafka: '{"id":"1","job":"a","driver":"kafka","queue":"t","headers":null,"pipeline":"p","topic":"t","partition":2,"offset":9007199254740}',
    nats: '{"id":"1","job":"a","driver":"nats","headers":{"x-nats-subject":["s"]},"pipeline":"p"}',
  };

  for (const [driver, context] of Object.entries(driverContexts)) {
    it(`reads the ${driver} driver’s context into the task decodeTask builds`, () => {
      const payload = bytes('{"n":1}');
      const task = new TaskContextScanner().scan(bytes(context), payload);
      expect(task).to.deep.equal(decodeTask(bytes(context), payload));
      expect(task!.payload).to.equal(payload);
    });
  }

  it('reads UTF-8 names and values as decodeTask does', () => {
    const context = '{"id":"ü-1","job":"mail.€","driver":"memory","headers":{"grüße":["😀"]},"pipeline":"日本"}';
    expect(new TaskContextScanner().scan(bytes(context), bytes(''))).to.deep.equal(decodeTask(bytes(context), bytes('')));
  });

  it('gives each task its own headers object', () => {
    const scanner = new TaskContextScanner();
    const first = scanner.scan(bytes(driverContexts.memory), bytes(''))!;
    const second = scanner.scan(bytes(driverContexts.memory), bytes(''))!;
    expect(first.headers).to.deep.equal({});
    expect(first.headers).not.to.equal(second.headers);
  });

  it('reuses a remembered name only while its bytes are the same', () => {
    const scanner = new TaskContextScanner();
    const names = ['mail', 'sms1', 'mail', 'maim', 'mail'];
    for (const job of names) {
      // Same length, same first byte: only the bytes tell them apart.
      expect(scanner.scan(bytes(`{"id":"1","job":"${job}","driver":"memory","headers":null,"pipeline":"${job}"}`), bytes(''))).to.include({ job, pipeline: job });
    }
  });

  it('leaves anything but the plain form to decodeTask', () => {
    const scanner = new TaskContextScanner();
    const notPlain = [
      '{"id":"1","job":"a\\u003cb"}', // an escape (Go writes <, > and & this way)
      '{"id":"1", "job":"a"}', // whitespace
      '{"id":"1","job":"a","future":1}', // a key it does not know
      '{"id":"1","job":"a","offset":12345678901234567}', // more digits than a double holds exactly
      '{"id":"1","job":"a","offset":1.5}',
      '{"id":"1","job":"a","offset":01}',
      '{"id":"1","job":"a","headers":{"__proto__":["x"]}}',
      '{"id":"1","job":"a","headers":{"a":"b"}}',
      '{"id":"","job":"a"}', // decodeTask's error, not ours to word
      '{"id":"1"}',
      '{"id":1,"job":"a"}',
      '{"id":"1","job":"a"}x',
      '{"id":"1","job":"a"',
      '{"id":"1","job":"a\u0001"}',
      '[]',
      '',
    ];
    for (const context of notPlain) expect(scanner.scan(bytes(context), bytes('')), context).to.equal(undefined);
  });
});
