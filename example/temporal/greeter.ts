import { Service } from 'roadrunner-runtime/container';

/** An ordinary app service, injected into the activity like into any other service. */
@Service()
export class Greeter {
  greet(name: string): string {
    return `Hello, ${name}! (greeted by Temporal worker pid ${process.pid})`;
  }
}
