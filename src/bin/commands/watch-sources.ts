import { watch, type FSWatcher } from 'node:fs';
import { readdirSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';

/** Directories never watched, at any depth: dependencies, build output, VCS data. */
export const IGNORED_DIRS: ReadonlySet<string> = new Set(['node_modules', 'dist', '.git']);

/** What counts as a source: scripts, JSON, YAML (the runtime config). Editors' temp files do not. */
const SOURCE_FILE = /\.(?:[cm]?[jt]sx?|json|ya?ml)$/;

/** A running watch; `close()` ends it. */
export interface SourceWatcher {
  close(): void;
}

/**
 * Watches `root` for changed source files (see {@link IGNORED_DIRS} and the extensions above) and
 * calls `onChange` with each one's absolute path, once per event: debouncing is the caller's.
 *
 * node:fs `watch` (inotify on Linux) rather than a watcher library: Node 20 watches recursively
 * on every platform, and this needs nothing more. On Linux, Node's recursive watch adds a watch
 * for every directory below the one given, so the root is watched flat and each of its
 * directories recursively, never `node_modules` or `dist` (thousands of directories).
 */
export function watchSources(root: string, onChange: (file: string) => void): SourceWatcher {
  const watchers = new Map<string, FSWatcher>();
  const report = (file: string) => {
    const parts = file.slice(root.length + 1).split(sep);
    if (parts.some((part) => IGNORED_DIRS.has(part)) || !SOURCE_FILE.test(file)) return;
    onChange(file);
  };
  const watchDir = (name: string) => {
    if (IGNORED_DIRS.has(name) || watchers.has(name)) return;
    const dir = join(root, name);
    const watcher = watch(dir, { recursive: true }, (_event, file) => {
      if (file) report(join(dir, file.toString()));
    });
    watcher.on('error', () => {
      // The directory went away: forget it (a new one of the same name is picked up by the root's watch).
      watcher.close();
      watchers.delete(name);
    });
    watchers.set(name, watcher);
  };
  for (const entry of readdirSync(root, { withFileTypes: true })) if (entry.isDirectory()) watchDir(entry.name);
  const top = watch(root, (_event, name) => {
    if (!name) return;
    const file = join(root, name.toString());
    let isDir = false;
    try {
      isDir = statSync(file).isDirectory();
    } catch {
      // removed: a file's deletion is still a change
    }
    if (isDir && !watchers.has(name.toString())) {
      watchDir(name.toString());
      // Files written into the new directory before its watch started are changes too.
      for (const entry of readdirSync(file, { withFileTypes: true, recursive: true })) {
        if (entry.isFile()) report(join(entry.parentPath, entry.name));
      }
    } else if (!isDir) {
      report(file);
    }
  });
  return {
    close() {
      top.close();
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
    },
  };
}
