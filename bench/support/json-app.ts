/**
 * bench:http's second workload: what a typical API route costs. `GET /users/:id` goes through
 * RouterKernel to a request-scoped controller that uses three request-scoped services (one reads
 * the request's headers) and a declared Resettable singleton (reset after every request), and
 * answers ~1 KiB of JSON with `Response.json`.
 */
import {
  Controller, createContainer, defineApp, Get, HTTP_KERNEL, HTTP_REQUEST, httpMode, httpRequestBinding, Inject,
  RouterKernel, Service, type Resettable, type RouteContext,
} from '../../src/index.js';

/** Per request: the caller's preferred language, from the request's headers. */
@Service({ scope: 'request' })
class Locale {
  constructor(@Inject(HTTP_REQUEST) private readonly request: Request) {}
  get value(): string {
    return this.request.headers.get('accept-language')?.split(',')[0] ?? 'en';
  }
}

/** A singleton that keeps per-request state, so it is declared Resettable. */
@Service({ resettable: true })
class IdentityMap implements Resettable {
  private readonly loaded = new Map<string, object>();
  remember<T extends object>(key: string, load: () => T): T {
    let value = this.loaded.get(key) as T | undefined;
    if (value === undefined) this.loaded.set(key, (value = load()));
    return value;
  }
  reset(): void {
    this.loaded.clear();
  }
}

/** Per request: loads users through the identity map. */
@Service({ scope: 'request' })
class UserRepository {
  constructor(@Inject(IdentityMap) private readonly identities: IdentityMap) {}
  find(id: string) {
    return this.identities.remember(`user:${id}`, () => ({
      id,
      name: `User ${id}`,
      email: `user${id}@example.com`,
      roles: ['reader', 'writer'],
      bio: 'x'.repeat(600),
      createdAt: '2026-01-01T00:00:00.000Z',
    }));
  }
}

/** Per request: shapes the answer. */
@Service({ scope: 'request' })
class UserPresenter {
  constructor(@Inject(Locale) private readonly locale: Locale) {}
  present(user: ReturnType<UserRepository['find']>) {
    return { ...user, locale: this.locale.value, links: { self: `/users/${user.id}`, posts: `/users/${user.id}/posts` }, padding: 'p'.repeat(180) };
  }
}

@Controller('/users')
@Service({ scope: 'request' })
class UserController {
  constructor(@Inject(UserRepository) private readonly users: UserRepository, @Inject(UserPresenter) private readonly presenter: UserPresenter) {}

  @Get('/:id')
  show(_request: Request, { params }: RouteContext) {
    return Response.json(this.presenter.present(this.users.find(params.id!)));
  }
}

/** `GET /`: what the bench's rr start-up waits for. */
@Controller('/')
@Service()
class HealthController {
  @Get('/')
  health() {
    return new Response('ok');
  }
}

const container = createContainer({
  services: [Locale, IdentityMap, UserRepository, UserPresenter, UserController, HealthController],
  bindings: [httpRequestBinding, { id: HTTP_KERNEL, useFactory: () => new RouterKernel({ controllers: [UserController, HealthController] }) }],
});

export default defineApp({ modes: { http: httpMode({ container, lazyBoot: false }) } });
