import type { Context } from '@temporalio/activity';
import { Inject } from 'roadrunner-runtime/container';
import { ACTIVITY_CONTEXT } from 'roadrunner-runtime/temporal';
import { Greeter } from './greeter.js';

/**
 * Listed in roadrunner.yaml (`temporal.workers.default.activity`), so it is a container service
 * built afresh for every activity call; each method is one activity.
 */
export class GreetingActivity {
  constructor(
    @Inject(Greeter) private readonly greeter: Greeter,
    @Inject(ACTIVITY_CONTEXT) private readonly activity: Context,
  ) {}

  async composeGreeting(name: string): Promise<string> {
    this.activity.heartbeat(); // long activities heartbeat; cancellation: this.activity.cancellationSignal
    return this.greeter.greet(name);
  }
}
