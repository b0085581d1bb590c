/**
 * SLOW (~10 s): builds the library, packs it with `npm pack` and installs the tarball in a fresh cdk8s app, offline.
 *
 * Everything happens in a temp directory; the repository is only read. The pack runs in a staged copy of the
 * repository (without node_modules, lib/, dist/, .git) so `npm pack` sees every source, test and example file and
 * must leave them out through package.json `files`; lib/ is built into the copy as `npm run build` does (tsc with
 * tsconfig.build.json, then scripts/bundle.ts).
 *
 * Installation: the tarball is extracted into `node_modules/cdk8s-safe-pods` of the temp app (what npm does with a
 * tarball) and the dependencies are symlinked from this repository's node_modules (cdk8s, cdk8s-plus-27, constructs,
 * yaml, js-yaml; each bundles its own dependencies). `npm install --offline <tarball>` cannot be used on a fresh CI machine:
 * npm resolves the tarball's `yaml` dependency and peers through registry metadata (packuments), which `npm ci`
 * does not cache (it fetches tarballs by the lockfile's URLs), so it fails with ENOTCACHED.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BUNDLE_FILES, ENTRY_POINTS } from '../../scripts/bundle';

const ROOT = path.resolve(__dirname, '..', '..');
const PKG = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  main: string;
  types: string;
  exports: Record<string, string | { types: string; default: string }>;
  bin?: Record<string, string>;
};
const DEPENDENCIES = ['cdk8s', 'cdk8s-plus-27', 'constructs', 'yaml', 'js-yaml'];
const NOT_STAGED = new Set(['node_modules', '.git', 'lib', 'dist', '.bench', 'coverage', 'cdk.out']);
const TOP_LEVEL_FILES = ['CHANGELOG.md', 'LICENSE', 'README.md', 'package.json'];
/** Timeout of the tests that start node or tsc (a busy CI machine can take seconds). */
const PROCESS_TIMEOUT = 60_000;

function run(cmd: string, args: string[], cwd: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** Runs a script with plain node in `cwd` and returns its stdout (throws when it exits non-zero). */
function node(cwd: string, script: string): string {
  return run(process.execPath, ['-e', script], cwd);
}

/** Paths of package.json entry points, without `./`. */
function entryPoints(): Array<{ key: string; file: string }> {
  const out = [
    { key: 'main', file: PKG.main },
    { key: 'types', file: PKG.types },
  ];
  for (const [key, target] of Object.entries(PKG.exports)) {
    if (typeof target === 'string') out.push({ key: `exports[${key}]`, file: target });
    else for (const [cond, file] of Object.entries(target)) out.push({ key: `exports[${key}].${cond}`, file });
  }
  for (const [key, file] of Object.entries(PKG.bin ?? {})) out.push({ key: `bin.${key}`, file });
  return out.map((e) => ({ key: e.key, file: e.file.replace(/^\.\//, '') }));
}

/** The source of a compiled file (`lib/x/y.js` or `.d.ts` → `src/x/y.ts`). */
function sourceOf(libFile: string): string {
  return libFile.replace(/^lib\//, 'src/').replace(/(\.d\.ts|\.js)$/, '.ts');
}

describe('the npm package (slow: build, pack, install into a temp app)', () => {
  let tmp: string;
  let files: string[];
  let app: string;

  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'safe-pods-pack-'));
    const stage = path.join(tmp, 'stage');
    fs.cpSync(ROOT, stage, {
      recursive: true,
      filter: (src) => !NOT_STAGED.has(path.basename(src)) || path.dirname(src) !== ROOT,
    });
    // `npm run build`: tsc, then the bundles
    run(
      process.execPath,
      [require.resolve('typescript/bin/tsc'), '-p', path.join(ROOT, 'tsconfig.build.json'), '--outDir', path.join(stage, 'lib')],
      ROOT,
    );
    run(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join('scripts', 'bundle.ts'), path.join(stage, 'lib')], ROOT);
    const packed = JSON.parse(
      run('npm', ['pack', '--json', '--ignore-scripts', '--offline', '--pack-destination', tmp, '--cache', path.join(tmp, 'npm-cache')], stage),
    ) as Array<{ filename: string; files: Array<{ path: string }> }>;
    files = packed[0].files.map((f) => f.path).sort();

    app = path.join(tmp, 'app');
    const installed = path.join(app, 'node_modules', PKG.name);
    fs.mkdirSync(installed, { recursive: true });
    run('tar', ['-xzf', path.join(tmp, packed[0].filename), '-C', installed, '--strip-components=1'], tmp);
    for (const dep of DEPENDENCIES) {
      fs.symlinkSync(path.dirname(require.resolve(`${dep}/package.json`, { paths: [ROOT] })), path.join(app, 'node_modules', dep), 'dir');
    }
    fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app', version: '0.0.0', private: true }));
  }, 120_000);

  afterAll(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  test('contains only compiled JavaScript and declarations under lib/, plus README, LICENSE, CHANGELOG and package.json', () => {
    const unexpected = files.filter((f) => !TOP_LEVEL_FILES.includes(f) && !/^lib\/.+(\.d\.ts|\.js)$/.test(f));
    expect(unexpected).toEqual([]);
    for (const f of TOP_LEVEL_FILES) expect(files).toContain(f);
  });

  test('has a .d.ts for every module of src/ and nothing compiled from elsewhere; the JavaScript is the bundles and the entry shims', () => {
    const libFiles = files.filter((f) => f.startsWith('lib/'));
    const dts = libFiles.filter((f) => f.endsWith('.d.ts'));
    for (const f of dts) expect(fs.existsSync(path.join(ROOT, sourceOf(f)))).toBe(true);
    const sources = fs
      .readdirSync(path.join(ROOT, 'src'), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts'))
      .map((f) => `src/${f.split(path.sep).join('/')}`);
    expect(dts.map(sourceOf).sort()).toEqual(sources.sort());
    const js = libFiles.filter((f) => f.endsWith('.js'));
    const expected = [...ENTRY_POINTS.map((e) => `lib/${e.key}.js`), ...Object.values(BUNDLE_FILES).map((f) => `lib/${f}`)];
    expect(js.sort()).toEqual(expected.sort());
  });

  test('packs every entry point of package.json whose source exists (main, types, exports, bin)', () => {
    const missing = entryPoints().filter((e) => fs.existsSync(path.join(ROOT, sourceOf(e.file))) && !files.includes(e.file));
    expect(missing).toEqual([]);
    expect(files).toContain(PKG.main);
    expect(files).toContain(PKG.types);
  });

  test(
    'installed in a fresh cdk8s app, synthesizes a SafePod with plain node and an explicit imagePullPolicy',
    () => {
      const yaml = node(
        app,
        `const { App, Chart } = require('cdk8s');
       const { SafePod } = require('cdk8s-safe-pods');
       const app = new App();
       new SafePod(new Chart(app, 'prod'), 'web', { containers: [{ name: 'main', image: 'nginx:1.27.3' }] });
       process.stdout.write(app.synthYaml());`,
      );
      expect(yaml).toMatch(/^kind: Pod$/m);
      expect(yaml).toMatch(/^\s+imagePullPolicy: IfNotPresent$/m);
      expect(yaml).toMatch(/^\s+enableServiceLinks: false$/m);
    },
    PROCESS_TIMEOUT,
  );

  test(
    'the installed package refuses a mistake at synth, with the construct path',
    () => {
      const r = spawnSync(
        process.execPath,
        [
          '-e',
          `const { App, Chart } = require('cdk8s'); const { SafePod } = require('cdk8s-safe-pods');
              const app = new App(); new SafePod(new Chart(app, 'prod'), 'empty'); app.synthYaml();`,
        ],
        { cwd: app, encoding: 'utf8' },
      );
      expect(r.status).not.toBe(0);
      expect(r.stderr).toMatch(/\[prod\/empty\] error pod-no-containers: Pod "[^"]*": spec.containers is empty/);
    },
    PROCESS_TIMEOUT,
  );

  test(
    'exposes package.json and refuses deep imports of internals through the exports map',
    () => {
      expect(node(app, `process.stdout.write(require('cdk8s-safe-pods/package.json').name)`)).toBe(PKG.name);
      for (const internal of ['lib/_bundle/core.js', 'lib/constructs/_synth-pass.d.ts']) {
        expect(fs.existsSync(path.join(app, 'node_modules', PKG.name, internal))).toBe(true);
        const code = node(
          app,
          `try { require('cdk8s-safe-pods/${internal.replace(/\.d\.ts$/, '')}'); process.stdout.write('loaded'); }
       catch (e) { process.stdout.write(String(e.code)); }`,
        );
        expect(code).toBe('ERR_PACKAGE_PATH_NOT_EXPORTED');
      }
    },
    PROCESS_TIMEOUT,
  );

  test(
    'its declarations type-check a TypeScript consumer that resolves through the exports map',
    () => {
      fs.writeFileSync(
        path.join(app, 'main.ts'),
        `import { App, Chart } from 'cdk8s';
       import { SafePod, SafePodsSettings, KubernetesVersion, type SafePodProps } from 'cdk8s-safe-pods';
       const app = new App();
       SafePodsSettings.set(app, { kubernetesVersion: KubernetesVersion.V1_27 });
       const props: SafePodProps = { containers: [{ image: 'nginx:1.27.3', allowMutableTag: undefined }] };
       const pod: SafePod = new SafePod(new Chart(app, 'prod'), 'web', props);
       export const links: boolean = pod.enableServiceLinks;
       // @ts-expect-error internals are not part of the package's API
       import type { SynthPass } from 'cdk8s-safe-pods/lib/constructs/_synth-pass';
       export type Unused = SynthPass;`,
      );
      fs.writeFileSync(
        path.join(app, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: { strict: true, noEmit: true, module: 'node16', moduleResolution: 'node16', types: [] },
          files: ['main.ts'],
        }),
      );
      run(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', app], app);
    },
    PROCESS_TIMEOUT,
  );
});
