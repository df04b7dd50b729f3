import { expect } from 'chai';
import {
  CaptiveDependencyError,
  CircularDependencyError,
  createContainer,
  createToken,
  Inject,
  MissingDependencyError,
  Optional,
  optional,
  Service,
  type Binding,
} from '../../src/container/index.js';
import { describeContract } from './support/describe-contract.js';

const REQUEST = createToken<Request>('REQUEST');

function captive(run: () => unknown): CaptiveDependencyError {
  try {
    run();
  } catch (error) {
    expect(error).to.be.instanceOf(CaptiveDependencyError);
    return error as CaptiveDependencyError;
  }
  expect.fail('expected a CaptiveDependencyError');
}

describeContract('captive-dependency guard', (adapter) => {
  @Service({ scope: 'request' })
  class CurrentUser {}

  it('rejects a singleton injecting a request-scoped service, naming both', () => {
    @Service()
    class ReportService {
      constructor(@Inject(CurrentUser) readonly user: CurrentUser) {}
    }
    const error = captive(() => createContainer({ adapter, services: [CurrentUser, ReportService] }));
    expect(error.chain).to.deep.equal(['"ReportService"', '"CurrentUser"']);
    expect(error.message).to.match(/^captive dependency: singleton "ReportService" -> request-scoped "CurrentUser"\. /);
    expect(error.message).to.contain('make "ReportService" request-scoped');
  });

  it('follows transients, singletons and aliases to the request-scoped service', () => {
    @Service({ scope: 'transient', aliases: ['user.repo'] })
    class UserRepo {
      constructor(@Inject(CurrentUser) readonly user: CurrentUser) {}
    }
    @Service()
    class Mailer {
      constructor(@Inject('user.repo') readonly repo: UserRepo) {}
    }
    @Service()
    class ReportService {
      constructor(@Inject(Mailer) readonly mailer: Mailer) {}
    }
    const error = captive(() => createContainer({ adapter, services: [CurrentUser, UserRepo, ReportService, Mailer] }));
    expect(error.message).to.contain(
      'singleton "ReportService" -> "Mailer" -> "user.repo" (alias of "UserRepo") -> request-scoped "CurrentUser"',
    );
  });

  it('names a chain through a transient: singleton -> transient -> request-scoped', () => {
    @Service({ scope: 'transient' })
    class UserRepo {
      constructor(@Inject(CurrentUser) readonly user: CurrentUser) {}
    }
    @Service()
    class ReportService {
      constructor(@Inject(UserRepo) readonly repo: UserRepo) {}
    }
    const error = captive(() => createContainer({ adapter, services: [ReportService, UserRepo, CurrentUser] }));
    expect(error.message).to.contain('singleton "ReportService" -> "UserRepo" -> request-scoped "CurrentUser"');
  });

  it('sees scope values, factory dependencies and optional dependencies', () => {
    const KERNEL = createToken<unknown>('kernel');
    const bindings: Binding[] = [
      { id: REQUEST, fromScope: true },
      { id: 'router', useFactory: (request: Request) => ({ request }), inject: [optional(REQUEST)], scope: 'transient' },
      { id: KERNEL, useFactory: (router: unknown) => ({ router }), inject: ['router'] },
    ];
    const error = captive(() => createContainer({ adapter, bindings }));
    expect(error.chain).to.deep.equal(['"kernel"', '"router"', '"REQUEST"']);
  });

  it('allows request-scoped services to use singletons, and transients to use request-scoped ones', () => {
    @Service()
    class Clock {}
    @Service({ scope: 'request' })
    class Session {
      constructor(@Inject(Clock) readonly clock: Clock, @Inject(REQUEST) readonly request: Request) {}
    }
    @Service({ scope: 'transient' })
    class Presenter {
      constructor(@Inject(Session) readonly session: Session) {}
    }
    expect(() =>
      createContainer({ adapter, services: [Clock, Session, Presenter], bindings: [{ id: REQUEST, fromScope: true }] }),
    ).to.not.throw();
  });

  it('refuses an override that would make a singleton captive, and keeps the original', () => {
    @Service({ scope: 'transient' })
    class Formatter {}
    @Service()
    class Report {
      constructor(@Inject(Formatter) readonly formatter: Formatter) {}
    }
    const c = createContainer({ adapter, services: [CurrentUser, Formatter, Report] });
    captive(() => c.override(Formatter, { useFactory: (user: CurrentUser) => ({ user }), inject: [CurrentUser] }));
    expect(c.get(Report).formatter).to.be.instanceOf(Formatter);
  });

  it('reports a dependency cycle with its chain', () => {
    @Service()
    class A {
      constructor(@Inject('b') readonly b: unknown) {}
    }
    @Service({ id: 'b', scope: 'transient' })
    class B {
      constructor(@Inject('c') readonly c: unknown) {}
    }
    @Service({ id: 'c', scope: 'request' })
    class C {
      constructor(@Inject('b') readonly b: unknown) {}
    }
    expect(() => createContainer({ adapter, services: [A, B, C] }))
      .to.throw(CircularDependencyError)
      .with.property('message', 'circular dependency: "b" -> "c" -> "b"');
  });

  it('reports a missing dependency, and accepts a missing optional one', () => {
    @Service()
    class NeedsLogger {
      constructor(@Inject('logger') readonly logger: unknown) {}
    }
    expect(() => createContainer({ adapter, services: [NeedsLogger] })).to.throw(
      MissingDependencyError,
      '"NeedsLogger" needs "logger" (constructor parameter #0), but nothing is registered as "logger"',
    );
    @Service()
    class MaybeLogger {
      constructor(@Optional() @Inject('logger') readonly logger: unknown) {}
    }
    expect(createContainer({ adapter, services: [MaybeLogger] }).get(MaybeLogger).logger).to.equal(undefined);
  });
});
