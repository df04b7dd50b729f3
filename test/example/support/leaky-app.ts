/**
 * A deliberately leaky app for the isolation check: `CurrentUser` keeps the request's user in a
 * singleton. Declared Resettable (`resettable: true`), the worker clears it after every request and
 * the app is isolated; undeclared, the second request still sees the first user. Loaded by the
 * example's kit tests under mocha and under node:test.
 */
import { createContainer, defineApp, Get, HTTP_KERNEL, httpMode, Inject, RouterKernel, Service, Controller } from 'roadrunner-runtime';

export function leakyApp(options: { resettable: boolean }) {
  @Service({ resettable: options.resettable })
  class CurrentUser {
    name: string | undefined;
    reset(): void {
      this.name = undefined;
    }
  }

  @Controller()
  @Service({ scope: 'request' })
  class ProfileController {
    constructor(@Inject(CurrentUser) private readonly user: CurrentUser) {}

    @Get('/profile')
    profile(request: Request): Response {
      // The bug: "remember the user for the rest of the request" in a long-lived object.
      this.user.name ??= request.headers.get('x-user') ?? 'anonymous';
      return Response.json({ user: this.user.name });
    }
  }

  const container = createContainer({
    services: [CurrentUser, ProfileController],
    bindings: [{ id: HTTP_KERNEL, useFactory: () => new RouterKernel({ controllers: [ProfileController] }) }],
  });
  return defineApp({ modes: { http: httpMode({ container }) } });
}
