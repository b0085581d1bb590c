/**
 * The second half of `npm run build`: turns the one-file-per-module output of `tsc` in `lib/` into three bundles,
 * so that `require('cdk8s-safe-pods')` opens one file of ours instead of ~50 (each costs ~0.4 ms to resolve, read
 * and compile; BENCHMARKS.md, require time).
 *
 * - `lib/_bundle/core.js`: every module the main entry loads when it is required (the eager graph of `index`).
 * - `lib/_bundle/lazy.js`: every module the entry points load only on use (the rule implementations, admission
 *   policies, the configuration file, explain) and the subpath entries `./plugin`, `./kubernetes`, `./explain`.
 * - `lib/cli/main.js`: the CLI (`bin`), with what only the CLI uses (reading files, the report formats).
 *
 * Every module is in exactly one bundle, and a bundle reaches a module of another through that bundle's `m(key)`,
 * so a process that loads several entry points has one copy of each class (`instanceof ManifestError`, the enums)
 * and one copy of each module's state. A module's own `require()` calls stay where they are: what was lazy in the
 * sources (a `require` inside a function) stays lazy, across bundles too. The entry files (`lib/index.js`,
 * `lib/plugin/index.js`, `lib/kubernetes.js`, `lib/explain/index.js`) become one-line shims; the declarations
 * (`.d.ts`) stay as `tsc` wrote them, and the other `.js` files are removed (with those of modules no entry point
 * reaches: nothing could load them).
 *
 * Usage: `node -r ts-node/register/transpile-only scripts/bundle.ts [libDir]` (default `lib`), after `tsc`.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Plugin } from 'esbuild';
import { build } from 'esbuild';

/** A module of `lib/`: its path without `.js`, relative to `lib/`, with `/` (`k8s/errors`, `plugin/index`). */
type Key = string;

/** The bundles, and the one group of modules each holds. */
type Group = 'core' | 'lazy' | 'cli';

/** The output file of each bundle, relative to `lib/`. */
export const BUNDLE_FILES: Readonly<Record<Group, string>> = {
  core: '_bundle/core.js',
  lazy: '_bundle/lazy.js',
  cli: 'cli/main.js',
};

/** The entry points of package.json's `exports` (module keys), and the bundle that holds each. */
export const ENTRY_POINTS: ReadonlyArray<{ readonly key: Key; readonly group: Group }> = [
  { key: 'index', group: 'core' },
  { key: 'plugin/index', group: 'lazy' },
  { key: 'kubernetes', group: 'lazy' },
  { key: 'explain/index', group: 'lazy' },
];

const CLI_MAIN: Key = 'cli/main';

/** The packages every bundle leaves to `require` (dependencies and peer dependencies, and Node's own modules). */
const EXTERNAL = ['cdk8s', 'cdk8s-plus-27', 'constructs', 'yaml', 'js-yaml'];

interface ModuleInfo {
  /** Modules required at the top level of the module: loaded when the module is. */
  readonly eager: Key[];
  /** Modules required inside a function: loaded on use. */
  readonly lazy: Key[];
}

function listModules(lib: string): Map<Key, string> {
  const modules = new Map<Key, string>();
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.name.endsWith('.js')) modules.set(path.relative(lib, file).split(path.sep).join('/').replace(/\.js$/, ''), file);
    }
  };
  walk(lib);
  return modules;
}

/** The module a relative `require` of `from` names, as Node resolves it (`x.js`, then `x/index.js`). */
function resolveKey(modules: ReadonlyMap<Key, string>, from: Key, request: string): Key {
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), request)).replace(/\.js$/, '');
  if (modules.has(base)) return base;
  if (modules.has(`${base}/index`)) return `${base}/index`;
  throw new Error(`bundle: ${from}.js requires ${JSON.stringify(request)}, which is not a module of lib/`);
}

/**
 * The relative requires of a module, as `tsc` emits them for CommonJS: the imports at the top level start at
 * column 0 (`const x_1 = require("./x");`, `var x_1 = require(...)`, `__exportStar(require(...), exports)`); a
 * `require` inside a function is indented.
 */
function readModule(modules: ReadonlyMap<Key, string>, key: Key): ModuleInfo {
  const eager: Key[] = [];
  const lazy: Key[] = [];
  for (const line of fs.readFileSync(modules.get(key)!, 'utf8').split('\n')) {
    for (const m of line.matchAll(/\brequire\((["'])(\.{1,2}\/[^"']*)\1\)/g)) {
      (/^\S/.test(line) ? eager : lazy).push(resolveKey(modules, key, m[2]));
    }
  }
  return { eager, lazy };
}

/** The modules reachable from `roots`, following `next`, not entering `stop`. */
function closure(roots: Iterable<Key>, next: (key: Key) => Key[], stop: ReadonlySet<Key> = new Set()): Set<Key> {
  const seen = new Set<Key>();
  const queue = [...roots].filter((k) => !stop.has(k));
  while (queue.length > 0) {
    const key = queue.pop()!;
    if (seen.has(key)) continue;
    seen.add(key);
    for (const n of next(key)) if (!stop.has(n) && !seen.has(n)) queue.push(n);
  }
  return seen;
}

/** Which bundle holds each module. */
export function planGroups(lib: string): Map<Key, Group> {
  const modules = listModules(lib);
  const info = new Map([...modules.keys()].map((k) => [k, readModule(modules, k)] as const));
  const all = (k: Key): Key[] => [...info.get(k)!.eager, ...info.get(k)!.lazy];
  const core = closure(['index'], (k) => info.get(k)!.eager);
  const lazyRoots = [...ENTRY_POINTS.filter((e) => e.group === 'lazy').map((e) => e.key), ...[...core].flatMap((k) => info.get(k)!.lazy)];
  const lazy = closure(lazyRoots, all, core);
  const cli = closure([CLI_MAIN], all, new Set([...core, ...lazy]));
  const groups = new Map<Key, Group>();
  for (const [set, group] of [
    [core, 'core'],
    [lazy, 'lazy'],
    [cli, 'cli'],
  ] as const) {
    for (const k of set) groups.set(k, group);
  }
  return groups;
}

function relativeRequire(fromFile: string, toFile: string): string {
  const rel = path.posix.relative(path.posix.dirname(fromFile), toFile);
  return rel.startsWith('.') ? rel : `./${rel}`;
}

/** Sends a `require` of a module held by another bundle to that bundle's `m(key)`. */
function crossBundlePlugin(lib: string, group: Group, groups: ReadonlyMap<Key, Group>): Plugin {
  const outFile = BUNDLE_FILES[group];
  return {
    name: 'safe-pods-cross-bundle',
    setup(b) {
      b.onResolve({ filter: /^\.\.?\// }, (args) => {
        if (args.namespace === 'other-bundle') return { path: args.path, external: true };
        if (!path.isAbsolute(args.importer)) return undefined; // the bundle's own entry: modules of this bundle
        const from = path.relative(lib, args.importer).split(path.sep).join('/').replace(/\.js$/, '');
        const key = resolveKey(listModulesCached(lib), from, args.path);
        const owner = groups.get(key);
        if (owner === undefined) throw new Error(`bundle: ${key}.js (required by ${from}.js) is in no bundle`);
        if (owner === group) return undefined;
        return { path: key, namespace: 'other-bundle', pluginData: owner };
      });
      b.onLoad({ filter: /.*/, namespace: 'other-bundle' }, (args) => ({
        contents: `module.exports = require(${JSON.stringify(relativeRequire(outFile, BUNDLE_FILES[args.pluginData as Group]))}).m(${JSON.stringify(args.path)});\n`,
        loader: 'js',
        resolveDir: lib,
      }));
    },
  };
}

const moduleCache = new Map<string, Map<Key, string>>();
function listModulesCached(lib: string): Map<Key, string> {
  if (!moduleCache.has(lib)) moduleCache.set(lib, listModules(lib));
  return moduleCache.get(lib)!;
}

/** The entry of a library bundle: `m(key)` loads (once) and returns the exports of one of its modules. */
function libraryEntry(keys: readonly Key[]): string {
  const table = keys
    .slice()
    .sort()
    .map((k) => `  ${JSON.stringify(k)}: () => require(${JSON.stringify(`./${k}.js`)}),`)
    .join('\n');
  return `"use strict";\nconst MODULES = {\n${table}\n};\nexports.m = (key) => MODULES[key]();\n`;
}

/** Bundles `lib` in place (see the file comment). */
export async function bundle(lib: string): Promise<void> {
  lib = path.resolve(lib);
  moduleCache.delete(lib);
  const modules = listModulesCached(lib);
  const groups = planGroups(lib);
  // a module no entry point reaches (data the tests and docs read, such as admission/differences) is not shipped
  // as code; its declarations stay
  const common = {
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: EXTERNAL,
    logLevel: 'silent',
    write: false,
    charset: 'utf8',
  } as const;
  const outputs = new Map<string, string>();
  for (const group of ['core', 'lazy'] as const) {
    const keys = [...groups].filter(([, g]) => g === group).map(([k]) => k);
    const result = await build({
      ...common,
      stdin: { contents: libraryEntry(keys), resolveDir: lib, sourcefile: `<${group} bundle>`, loader: 'js' },
      outfile: path.join(lib, BUNDLE_FILES[group]),
      plugins: [crossBundlePlugin(lib, group, groups)],
    });
    outputs.set(BUNDLE_FILES[group], result.outputFiles[0].text);
  }
  const cli = await build({
    ...common,
    entryPoints: [modules.get(CLI_MAIN)!],
    outfile: path.join(lib, BUNDLE_FILES.cli),
    allowOverwrite: true,
    plugins: [crossBundlePlugin(lib, 'cli', groups)],
  });
  outputs.set(BUNDLE_FILES.cli, cli.outputFiles[0].text);

  for (const file of modules.values()) fs.rmSync(file);
  for (const [file, text] of outputs) {
    fs.mkdirSync(path.dirname(path.join(lib, file)), { recursive: true });
    fs.writeFileSync(path.join(lib, file), text);
  }
  for (const { key, group } of ENTRY_POINTS) {
    const file = `${key}.js`;
    const shim = `"use strict";\n// The ${key === 'index' ? 'main entry' : `entry point ./${key.replace(/\/index$/, '')}`} of cdk8s-safe-pods; the code is in ${BUNDLE_FILES[group]} (scripts/bundle.ts).\nmodule.exports = require(${JSON.stringify(relativeRequire(file, BUNDLE_FILES[group]))}).m(${JSON.stringify(key)});\n`;
    fs.writeFileSync(path.join(lib, file), shim);
  }
}

if (require.main === module) {
  bundle(process.argv[2] ?? 'lib').catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  });
}
