/**
 * bench:http's app: "Hello" from the full stack a user writes (README quick start): httpMode,
 * the container with the kernel as a binding, RouterKernel with a request-scoped controller.
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

const container = createContainer({
  services: [HelloController],
  bindings: [{ id: HTTP_KERNEL, useFactory: () => new RouterKernel({ controllers: [HelloController] }) }],
});

export default defineApp({ modes: { http: httpMode({ container, lazyBoot: false }) } });
