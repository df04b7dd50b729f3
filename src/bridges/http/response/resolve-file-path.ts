import { realpath } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { FileNotFoundError, FileOutsideRootError } from '../errors.js';

/**
 * The real, absolute path of the file a file response will open.
 *
 * Without `root`, `path` is resolved against the working directory and may be anywhere: the
 * application chose it.
 *
 * With `root`, `path` is always taken relative to it (a leading `/` included, so a URL pathname can
 * be passed as is) and must stay inside it:
 * 1. lexically: `..` segments that climb above the root are refused before the disk is touched;
 * 2. physically: the path is resolved through every symlink (`realpath`) and the result must still
 *    lie inside the root's own real path, so a symlink pointing out is refused too.
 * Both give {@link FileOutsideRootError} (403). A symlink to a place inside the root is followed.
 *
 * The caller opens the returned path with `O_NOFOLLOW`, so a final component swapped for a symlink
 * after this check cannot be followed; a directory higher up swapped in that window can, which is
 * the usual limit of path checks without `openat2(RESOLVE_BENEATH)`.
 *
 * @throws FileOutsideRootError, FileNotFoundError (missing path, missing root, NUL byte)
 */
export async function resolveFilePath(path: string, root?: string): Promise<string> {
  if (path.includes('\0')) throw new FileNotFoundError(path, 'holds a NUL byte');
  if (root === undefined) return resolve(path);

  let realRoot: string;
  try {
    realRoot = await realpath(resolve(root));
  } catch (error) {
    throw new FileNotFoundError(path, `cannot be served: its root ${JSON.stringify(root)} does not exist`, { cause: error });
  }
  const candidate = join(realRoot, path);
  if (!isInside(realRoot, candidate)) throw new FileOutsideRootError(path, root, 'climbs');

  let real: string;
  try {
    real = await realpath(candidate);
  } catch (error) {
    throw new FileNotFoundError(path, `does not exist under ${JSON.stringify(root)}`, { cause: error });
  }
  if (!isInside(realRoot, real)) throw new FileOutsideRootError(path, root, 'is a symlink that resolves');
  return real;
}

function isInside(root: string, path: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}
