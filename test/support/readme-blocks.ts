import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './process-peer.js';

/**
 * The code block of README.md's "## Install" section whose first line names `file`
 * (`// src/app.ts`, `# .rr.yaml`), without that line: what a user copies, so tests that run it
 * keep the docs from drifting.
 */
export function readmeBlock(file: string): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('\n## Install');
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end === -1 ? undefined : end);
  for (const match of section.matchAll(/```[a-z]*\n([\s\S]*?)```/g)) {
    const [first, ...rest] = match[1]!.split('\n');
    if (first!.replace(/^(\/\/|#)\s*/, '').trim() === file) return rest.join('\n');
  }
  throw new Error(`README.md's "## Install" section has no code block starting with a "${file}" comment`);
}
