/**
 * Finding and reading manifest files: folders walked in a stable order, symbolic links followed without looping, each
 * file read once, sizes bounded before anything is parsed.
 */
import { promises as fs } from 'fs';
import type { Stats } from 'fs';
import * as path from 'path';
import { READ_LIMITS } from '../defaults/limits';
import type { InputError, ManifestRead, ReadOptions } from './manifests';
import { readManifestBytes, tooLarge } from './manifests';

/** File name extensions read when a folder is given (any case). */
export const MANIFEST_EXTENSIONS: readonly string[] = ['.yaml', '.yml', '.json'];

/** The file cdk8s writes beside the manifests (`construct-metadata.json`): not a manifest, skipped in folders. */
export const CONSTRUCT_METADATA_FILE = 'construct-metadata.json';

/** The manifest files under some paths. */
export interface ManifestFiles {
  /** The files to read, in order: each once, however many paths, links or folders lead to it. */
  readonly files: string[];
  /** Paths that cannot be read, broken links, folders without manifests. */
  readonly errors: InputError[];
  /** `construct-metadata.json` files found in folders and skipped. */
  readonly skipped: string[];
}

const ERRNO: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ELOOP: 'too many levels of symbolic links',
  ENOTDIR: 'not a directory',
  EISDIR: 'is a directory',
  EMFILE: 'too many open files',
  EIO: 'input/output error',
};

/** `cannot read: permission denied (EACCES)`. */
export function cannotRead(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code === undefined) return `cannot read: ${e instanceof Error ? e.message : String(e)}`;
  return `cannot read: ${ERRNO[code] ?? code.toLowerCase()} (${code})`;
}

function isManifestName(name: string): boolean {
  return MANIFEST_EXTENSIONS.includes(path.extname(name).toLowerCase());
}

/** Tracks what has been seen, by real path, across all the paths of one run. */
export class SeenPaths {
  private readonly files = new Set<string>();
  /** Folders walked (or being walked) → the manifests found in them, links and subfolders included. */
  private readonly dirs = new Map<string, number>();

  /** Whether the file at this real path is new (and marks it seen). */
  public firstFile(real: string): boolean {
    if (this.files.has(real)) return false;
    this.files.add(real);
    return true;
  }

  /** The manifests found in a folder walked before (0 while it is being walked), or undefined for a new folder. */
  public dirManifests(real: string): number | undefined {
    return this.dirs.get(real);
  }

  /** Records how many manifests a folder holds (0 when its walk starts). */
  public setDirManifests(real: string, count: number): void {
    this.dirs.set(real, count);
  }
}

async function realpathOr(p: string): Promise<string> {
  try {
    return await fs.realpath(p);
  } catch {
    return path.resolve(p);
  }
}

/**
 * The manifest files under the given paths. A file is taken as it is, whatever its name. A folder is walked
 * recursively for `*.yaml`, `*.yml` and `*.json` files, sorted by name; entries whose name starts with `.`,
 * `node_modules` and cdk8s's `construct-metadata.json` are skipped. Symbolic links are followed, to files and to
 * folders; a folder reached twice (a link loop, or two paths to the same place) is walked once, and a file reached
 * twice is read once. Never throws: what cannot be read is in `errors`.
 */
export async function findManifestFiles(paths: readonly string[], seen: SeenPaths = new SeenPaths()): Promise<ManifestFiles> {
  const files: string[] = [];
  const errors: InputError[] = [];
  const skipped: string[] = [];

  /** Adds a file unless it was added before (by another path or link). */
  const addFile = async (file: string): Promise<void> => {
    if (seen.firstFile(await realpathOr(file))) files.push(file);
  };

  /** Walks a folder not walked before; returns how many manifests it holds (read before or not). */
  const walk = async (dir: string): Promise<number> => {
    const real = await realpathOr(dir);
    const before = seen.dirManifests(real);
    if (before !== undefined) return before; // a link loop, or a folder reached twice
    seen.setDirManifests(real, 0);
    let entries;
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch (e) {
      errors.push({ file: dir, message: cannotRead(e) });
      return 0;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    let found = 0;
    for (const entry of entries) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const full = path.join(dir, entry.name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        let target: Stats;
        try {
          target = await fs.stat(full);
        } catch (e) {
          if (isManifestName(entry.name)) errors.push({ file: full, message: `${cannotRead(e)}: a broken symbolic link` });
          continue;
        }
        isDir = target.isDirectory();
        isFile = target.isFile();
      }
      if (isDir) found += await walk(full);
      else if (isFile && isManifestName(entry.name)) {
        found++;
        if (entry.name === CONSTRUCT_METADATA_FILE) skipped.push(full);
        else await addFile(full);
      }
    }
    seen.setDirManifests(real, found);
    return found;
  };

  for (const p of paths) {
    let stat: Stats;
    try {
      stat = await fs.stat(p);
    } catch (e) {
      errors.push({ file: p, message: cannotRead(e) });
      continue;
    }
    if (!stat.isDirectory()) {
      await addFile(p);
      continue;
    }
    if ((await walk(p)) === 0) errors.push({ file: p, message: `folder contains no ${MANIFEST_EXTENSIONS.map((e) => `*${e}`).join(', ')} files` });
  }
  return { files, errors, skipped };
}

/** Reads a file of at most `maxBytes` bytes; when it is larger, stops reading and gives its size (if known). */
async function readBounded(file: string, maxBytes: number): Promise<{ bytes: Buffer } | { size: number | undefined }> {
  const handle = await fs.open(file, 'r');
  try {
    const stat = await handle.stat();
    if (stat.isFile()) {
      if (stat.size > maxBytes) return { size: stat.size };
      const bytes = await handle.readFile();
      return bytes.length > maxBytes ? { size: bytes.length } : { bytes };
    }
    // a device, a pipe: read in chunks, stop past the limit (`/dev/zero` ends here)
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(1 << 20, maxBytes + 1 - total));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
      if (total > maxBytes) return { size: undefined };
    }
    return { bytes: Buffer.concat(chunks, total) };
  } finally {
    await handle.close();
  }
}

/**
 * Reads and parses one manifest file (see `readManifestBytes`). Never throws: a file that cannot be read, is larger
 * than `maxFileBytes`, cannot be decoded or parsed is reported in `errors`.
 */
export async function readManifestFile(file: string, options: ReadOptions = {}): Promise<ManifestRead> {
  const maxBytes = options.maxFileBytes ?? READ_LIMITS.maxFileBytes;
  let read;
  try {
    read = await readBounded(file, maxBytes);
  } catch (e) {
    return { objects: [], errors: [{ file, message: cannotRead(e) }] };
  }
  if (!('bytes' in read)) return { objects: [], errors: [{ file, message: tooLarge(read.size, maxBytes) }] };
  return readManifestBytes(read.bytes, file, options);
}

/**
 * Reads a stream (standard input) to its end or until it has given more than `maxBytes` bytes, whichever comes first;
 * in the second case the result has `maxBytes + 1` bytes or more, and the rest of the stream is left unread.
 */
export async function readBoundedStream(stream: AsyncIterable<Buffer | string>, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    chunks.push(b);
    total += b.length;
    if (total > maxBytes) break;
  }
  return Buffer.concat(chunks, total);
}
