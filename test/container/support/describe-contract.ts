/** The container contract holds for every vendor adapter: each suite runs once per adapter. */
export const ADAPTERS = ['inversify', 'tsyringe'] as const;

export type AdapterName = (typeof ADAPTERS)[number];

export function describeContract(title: string, body: (adapter: AdapterName) => void): void {
  for (const adapter of ADAPTERS) describe(`${title} [${adapter}]`, () => body(adapter));
}

/** Lets pending timers and I/O callbacks run, so concurrent scopes really interleave. */
export const tick = (ms = 0): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
