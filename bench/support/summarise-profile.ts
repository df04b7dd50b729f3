/**
 * Summarises a `.cpuprofile` written by `node --cpu-prof`: self time by function, and self time
 * grouped by where the code lives (our runtime, our HTTP bridge, undici's Fetch objects, web
 * streams, async hooks, GC...), each as a share of the non-idle samples.
 *
 *   npx tsx bench/support/summarise-profile.ts FILE.cpuprofile [--top 40] [--skip-ms 2000]
 *
 * `--skip-ms` leaves out the first milliseconds of samples (start-up: module loading, compiling),
 * so a profile of a worker under load shows its steady state.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Where a function lives, by its script URL (first match wins). */
const GROUPS: Array<[string, (url: string, name: string) => boolean]> = [
  ['(idle)', (_url, name) => name === '(idle)' || name === '(program)'],
  ['(garbage collector)', (_url, name) => name === '(garbage collector)'],
  ['our runtime (relay, worker loop, frames)', (url) => url.includes('/src/runtime/')],
  ['our container (scope, resets)', (url) => url.includes('/src/container/')],
  ['our HTTP bridge', (url) => url.includes('/src/bridges/')],
  ['the app (bench/, example/)', (url) => url.includes('/bench/') || url.includes('/example/') || url.includes('/test/')],
  ['protobuf wire (@bufbuild)', (url) => url.includes('@bufbuild')],
  ['router (find-my-way)', (url) => url.includes('find-my-way')],
  ['undici (Request/Response/Headers/fetch body)', (url) => url.includes('internal/deps/undici')],
  ['web streams', (url) => url.includes('internal/webstreams')],
  ['AbortSignal / EventTarget', (url) => url.includes('internal/abort_controller') || url.includes('internal/event_target')],
  ['async_hooks / AsyncLocalStorage / promise hooks', (url) => url.includes('async_hooks') || url.includes('async_local_storage') || url.includes('promise_hooks')],
  ['URL', (url) => url.includes('internal/url')],
  ['node streams, pipes, fs', (url) => url.includes('internal/streams') || url.includes('stream_base') || url.includes('net.js') || url.includes('internal/fs')],
  ['structured clone / transferable', (url) => url.includes('worker/js_transferable') || url.includes('internal/perf')],
  ['other node internals', (url) => url.startsWith('node:')],
  ['tsx loader', (url) => url.includes('/tsx/')],
  ['(native / V8 builtins)', (url) => url === ''],
  ['other', () => true],
];

export function summarise(profile: Profile, top = 40, skipMs = 0): string {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<number, number>();
  let elapsed = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    elapsed += profile.timeDeltas[i] ?? 0;
    if (elapsed < skipMs * 1000) continue;
    self.set(profile.samples[i]!, (self.get(profile.samples[i]!) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const byFunction = new Map<string, number>();
  const byGroup = new Map<string, number>();
  let busy = 0;
  for (const [id, time] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const group = GROUPS.find(([, test]) => test(url, functionName))![0];
    byGroup.set(group, (byGroup.get(group) ?? 0) + time);
    if (group === '(idle)') continue;
    busy += time;
    const short = url.replace(/^.*\/(src|bench|node_modules)\//, '$1/').replace(/^file:\/\//, '');
    const key = `${functionName || '(anonymous)'}  ${short}${url ? `:${lineNumber + 1}` : ''}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + time);
  }
  const pct = (time: number) => `${((100 * time) / busy).toFixed(1).padStart(5)}%`;
  const lines = [`busy: ${(busy / 1000).toFixed(0)} ms of samples`, '', 'self time by place:'];
  for (const [group, time] of [...byGroup].sort((a, b) => b[1] - a[1])) {
    if (group !== '(idle)') lines.push(`  ${pct(time)}  ${group}`);
  }
  lines.push('', `self time by function (top ${top}):`);
  for (const [key, time] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`  ${pct(time)}  ${key}`);
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = process.argv[2];
  if (!file) throw new Error('usage: summarise-profile.ts FILE.cpuprofile [--top N]');
  const option = (name: string, fallback: number) => {
    const index = process.argv.indexOf(`--${name}`);
    return index < 0 ? fallback : Number(process.argv[index + 1]);
  };
  console.log(summarise(JSON.parse(readFileSync(file, 'utf8')) as Profile, option('top', 40), option('skip-ms', 0)));
}
