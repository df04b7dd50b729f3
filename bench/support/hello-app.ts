/**
 * bench:http's app: "Hello" from the full stack a user writes (README quick start): httpMode,
 * the container with the kernel as a binding, RouterKernel with a request-scoped controller.
 * `BENCH_ASYNC_CONTEXT=off` creates the container with `asyncContext: false`.
 */
import { Controller, createContainer, defineApp, Get, HTTP_KERNEL, httpMode, RouterKernel, Service } from '../../src/index.js';

@Controller('/')
@Service({ scope: 'request' })
class HelloController {
  @Get('/')
  hello() {
    return new Response('Hello', { headers: { 'content-type': 'text/plain' } });
  }
}

// Spread, not written in the literal: a baseline checkout's createContainer may not know the option.
const asyncContext = process.env.BENCH_ASYNC_CONTEXT === 'off' ? { asyncContext: false } : {};
const container = createContainer({
  ...asyncContext,
  services: [HelloController],
  bindings: [{ id: HTTP_KERNEL, useFactory: () => new RouterKernel({ controllers: [HelloController] }) }],
});

export default defineApp({ modes: { http: httpMode({ container, lazyBoot: false }) } });
