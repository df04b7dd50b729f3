import { sep } from 'node:path';

/**
 * An error from the user's app (its module failed to load, its mode failed to boot) as the CLI
 * prints it: the message, each cause the message does not already contain, and only the stack
 * frames in the user's own files. Frames of this package, of node_modules (tsx, esbuild...) and of
 * Node itself say nothing about what to fix.
 *
 * @param ownDirs directories whose frames are ours (the package's `src/` and `dist/`).
 */
export function describeAppError(error: unknown, ownDirs: readonly string[]): string {
  const lines: string[] = [];
  let printed = '';
  for (let current: unknown = error, depth = 0; current !== undefined && current !== null && depth < 8; depth += 1) {
    const text = current instanceof Error ? `${current.name === 'Error' || current.name === 'BootError' ? '' : `${current.name}: `}${current.message}` : String(current);
    if (depth === 0) lines.push(text);
    else if (!printed.includes(current instanceof Error ? current.message : text)) lines.push(`caused by: ${text}`);
    printed += `\n${text}`;
    if (current instanceof Error) lines.push(...userFrames(current, ownDirs));
    current = current instanceof Error ? current.cause : undefined;
  }
  return lines.join('\n');
}

function userFrames(error: Error, ownDirs: readonly string[]): string[] {
  const frames = (error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
  return frames
    .filter((frame) => !frame.includes('node:') && !frame.includes(`${sep}node_modules${sep}`) && !ownDirs.some((dir) => frame.includes(dir)))
    .map((frame) => `    ${frame.trim()}`);
}
