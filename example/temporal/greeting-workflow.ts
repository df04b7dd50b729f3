/** Plain Temporal workflow code: bundled and sandboxed by the SDK, it never touches the container. */
import { proxyActivities } from '@temporalio/workflow';
import type { GreetingActivity } from './greeting-activity.js';

const { composeGreeting } = proxyActivities<GreetingActivity>({ startToCloseTimeout: '10 seconds' });

export async function greetingWorkflow(name: string): Promise<string> {
  return composeGreeting(name);
}
