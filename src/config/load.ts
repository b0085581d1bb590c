import * as fs from 'fs';
import * as path from 'path';
import type { SafePodsConfig } from './config';
import { CONFIG_FILE_NAME, ConfigError, parseConfig } from './config';

/** Options of `loadConfig`. */
export interface LoadConfigOptions {
  /** The directory to start from (the app's or the command's working directory). */
  readonly cwd: string;
  /**
   * An explicit configuration file (relative to `cwd`): it must exist, and no search is made.
   *
   * @default - the nearest `safe-pods.config.json`, see `findConfigFile`
   */
  readonly path?: string;
  /** The rule ids the configuration may name (the rule catalogue's, passed in so this module does not import it). */
  readonly knownRuleIds: readonly string[];
}

/** A configuration with nothing set: what `loadConfig` returns when there is no file. */
export const EMPTY_CONFIG: SafePodsConfig = Object.freeze({ rules: Object.freeze({}) });

function exists(p: string): boolean {
  return fs.existsSync(p);
}

/** The nearest folder from `start` upwards (inclusive) that contains `marker`. */
function nearestWith(start: string, marker: string): string | undefined {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (exists(path.join(dir, marker))) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/**
 * The configuration file that applies in `cwd`: the nearest `safe-pods.config.json` in `cwd` or a parent folder, up
 * to the project root and not beyond it. The project root is the nearest folder with `.git` (the repository root, so
 * every package of a monorepo sees the root's file, and a package may have its own nearer one); outside a git
 * repository it is the nearest folder with `package.json`; with neither, only `cwd` itself is searched.
 */
export function findConfigFile(cwd: string): string | undefined {
  const start = path.resolve(cwd);
  const root = nearestWith(start, '.git') ?? nearestWith(start, 'package.json') ?? start;
  for (let dir = start; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, CONFIG_FILE_NAME);
    if (exists(candidate) && fs.statSync(candidate).isFile()) return candidate;
    if (dir === root || path.dirname(dir) === dir) return undefined;
  }
}

/** The file as messages name it: relative to `cwd` when inside it, absolute otherwise. */
function displayName(file: string, cwd: string): string {
  const rel = path.relative(cwd, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

/**
 * Loads the configuration that applies in `cwd`: the file at `path` when given, otherwise the one `findConfigFile`
 * finds; `EMPTY_CONFIG` when there is none. Synchronous, so a cdk8s app can call it while building constructs.
 * Throws a `ConfigError` naming the file when it cannot be read, is not JSON, or breaks the schema.
 */
export function loadConfig(options: LoadConfigOptions): SafePodsConfig {
  const cwd = path.resolve(options.cwd);
  const file = options.path !== undefined ? path.resolve(cwd, options.path) : findConfigFile(cwd);
  if (file === undefined) return EMPTY_CONFIG;
  const name = displayName(file, cwd);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'the file does not exist' : code === 'EISDIR' ? 'it is a folder, not a file' : (e as Error).message;
    throw new ConfigError(name, [{ path: '$', message: `cannot read the configuration: ${why}` }]);
  }
  return Object.freeze({ file, ...parseConfig(text, name, options.knownRuleIds) });
}
