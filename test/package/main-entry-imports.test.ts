/**
 * What importing the main entry loads (issue 10: "Importing the main entry must not load the CLI, `fs` or `yaml`
 * eagerly"; its `require` time is benchmarked against cdk8s-plus-27 in BENCHMARKS.md). A child process requires
 * src/index.ts and lists the modules that the require added to `require.cache`: none of the CLI, the readers, the
 * plugin, explain, admission or config; none of our files that use the file system; no third-party package beyond
 * what cdk8s, cdk8s-plus-27 and constructs load themselves (cdk8s loads `yaml`, so `yaml` is allowed only through it).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');
const SRC = path.join(ROOT, 'src');

/** Folders of src/ that the main entry must not load: entry points of their own, and what reads or writes files. */
const NOT_LOADED = ['cli', 'io', 'plugin', 'explain', 'admission', 'config'];

/** The judge: the constructs load it when they judge (constructs/_judge.ts), not at import. */
const JUDGE_ON_USE = ['rules/normalize.ts', 'rules/judge.ts', 'rules/check.ts'];

/** Node built-ins that do I/O: none of our files that the main entry loads may import them. */
const IO_BUILTINS = ['fs', 'fs/promises', 'child_process', 'net', 'http', 'https', 'readline'];

/**
 * Requires `target` in a fresh node (TypeScript through ts-node, transpile only) and returns the files the require
 * added to `require.cache`. ts-node is warmed up on a file of ours first, so its own modules are loaded before.
 */
function modulesLoadedBy(target: string): string[] {
  const script = [
    "require('./src/k8s/text.ts');",
    'const before = new Set(Object.keys(require.cache));',
    `require(${JSON.stringify(target)});`,
    'process.stdout.write(JSON.stringify(Object.keys(require.cache).filter((k) => !before.has(k))));',
  ].join('\n');
  const r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' },
    timeout: 120_000,
  });
  if (r.status !== 0) throw new Error(`requiring ${target} failed (${r.status ?? r.signal}):\n${r.stderr}`);
  return JSON.parse(r.stdout) as string[];
}

/** The npm package a file belongs to (`@scope/name` or `name`), or `undefined` for a file outside node_modules. */
function packageOf(file: string): string | undefined {
  const m = /[\\/]node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(file.slice(file.lastIndexOf(`${path.sep}node_modules${path.sep}`)));
  return m?.[1].replace(/\\/g, '/');
}

describe('requiring the main entry (src/index.ts)', () => {
  let ours: string[];
  let packages: Set<string>;
  let peerPackages: Set<string>;

  beforeAll(() => {
    const loaded = modulesLoadedBy('./src/index.ts');
    ours = loaded.filter((f) => f.startsWith(SRC + path.sep)).map((f) => path.relative(SRC, f).split(path.sep).join('/'));
    packages = new Set(loaded.map(packageOf).filter((p): p is string => p !== undefined));
    peerPackages = new Set(
      modulesLoadedBy('./test/support/require-peers.ts')
        .map(packageOf)
        .filter((p): p is string => p !== undefined),
    );
  }, 240_000);

  test('loads the constructs and the catalogue', () => {
    expect(ours).toEqual(expect.arrayContaining(['index.ts', 'constructs/safe-pod.ts', 'rules/catalogue.ts']));
  });

  test.each(JUDGE_ON_USE)('loads src/%s only at first use (a synth, findings(), checkObjects)', (file) => {
    expect(ours).not.toContain(file);
  });

  test.each(NOT_LOADED)('loads nothing of src/%s', (folder) => {
    expect(ours.filter((f) => f.startsWith(`${folder}/`))).toEqual([]);
  });

  test('loads none of our files that import a Node I/O module (fs, child_process, ...)', () => {
    const io = new RegExp(`(?:from\\s+|require\\()'(?:node:)?(?:${IO_BUILTINS.join('|')})'`);
    expect(ours.filter((f) => io.test(fs.readFileSync(path.join(SRC, f), 'utf8')))).toEqual([]);
  });

  test('loads no third-party package that cdk8s, cdk8s-plus-27 and constructs do not load themselves (no js-yaml)', () => {
    expect(peerPackages).toContain('cdk8s-plus-27');
    expect([...packages].filter((p) => !peerPackages.has(p))).toEqual([]);
    expect(packages.has('js-yaml')).toBe(false);
  });
});
