import { expect } from 'chai';
import {
  ContainerConfigError,
  createContainer,
  Inject,
  MissingInjectError,
  Optional,
  Service,
  type ServiceScope,
} from '../../../src/container/index.js';
import { describeContract } from '../support/describe-contract.js';

describeContract('@Inject, @Optional, @Service', (adapter) => {
  @Service()
  class Logger {}

  it('names the class and every parameter lacking @Inject (no type metadata under tsx)', () => {
    @Service()
    class ReportService {
      constructor(@Inject(Logger) readonly logger: Logger, readonly clock: Date, readonly tz: string) {}
    }
    const attempt = () => createContainer({ adapter, services: [Logger, ReportService] });
    expect(attempt).to.throw(MissingInjectError, '"ReportService" constructor parameter #1, #2 has no @Inject(token)');
    expect(attempt).to.throw(MissingInjectError).with.deep.property('parameters', [1, 2]);
  });

  it('checks classes bound with useClass and override classes the same way', () => {
    class Undecorated {
      constructor(readonly logger: Logger) {}
    }
    expect(() => createContainer({ adapter, bindings: [{ id: 'x', useClass: Undecorated }] })).to.throw(
      MissingInjectError,
      '"Undecorated" constructor parameter #0',
    );
    const container = createContainer({ adapter, services: [Logger] });
    expect(() => container.override(Logger, { useClass: Undecorated })).to.throw(MissingInjectError);
  });

  it('injects undefined for a missing @Optional() dependency, whichever decorator comes first', () => {
    @Service()
    class Consumer {
      constructor(
        @Optional() @Inject('metrics') readonly metrics: unknown,
        @Inject(Logger) @Optional() readonly logger: Logger | undefined,
      ) {}
    }
    const consumer = createContainer({ adapter, services: [Logger, Consumer] }).get(Consumer);
    expect(consumer.metrics).to.equal(undefined);
    expect(consumer.logger).to.be.instanceOf(Logger);
  });

  it('lets a subclass without its own constructor inherit its parent\'s injections', () => {
    class Base {
      constructor(@Inject(Logger) readonly logger: Logger) {}
    }
    @Service()
    class Derived extends Base {}
    expect(createContainer({ adapter, services: [Logger, Derived] }).get(Derived).logger).to.be.instanceOf(Logger);
  });

  it('registers an undecorated class without parameters as a public singleton', () => {
    class Plain {}
    const container = createContainer({ adapter, services: [Plain] });
    expect(container.get(Plain)).to.equal(container.get(Plain));
  });
});

describe('decorator misuse', () => {
  it('refuses @Inject on a method parameter', () => {
    expect(() => {
      class Handler {
        handle(@Inject('x') value: unknown): unknown {
          return value;
        }
      }
      return Handler;
    }).to.throw(ContainerConfigError, '@Inject on "Handler.handle" parameter #0: only constructor parameters are injected');
  });

  it('refuses an unknown scope', () => {
    expect(() => {
      @Service({ scope: 'session' as ServiceScope })
      class Weird {}
      return Weird;
    }).to.throw(ContainerConfigError, '@Service on "Weird": scope must be one of singleton, request, transient, got "session"');
  });
});
