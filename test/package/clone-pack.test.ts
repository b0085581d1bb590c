/**
 * SLOW (~15 s): what a release from CI ships. A clean `git clone` of the committed HEAD (no lib/, no node_modules)
 * runs `npm pack`, whose `prepack` script must build lib/; the tarball must hold the compiled library and nothing
 * else, and `npm publish --dry-run` must not warn about package.json. Offline: node_modules is linked from this
 * checkout, and npm gets a private cache in the temp folder.
 *
 * It packs what is committed, not the working tree: commit package.json changes before trusting this test.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BUNDLE_FILES, ENTRY_POINTS } from '../../scripts/bundle';

const ROOT = path.resolve(__dirname, '..', '..');
const PKG = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const TIMEOUT = 240_000;

/** Run by node in a folder where the packed package is installed: what its entry points load and do, as JSON. */
const PROBE = `
const path = require('path');
const own = () => Object.keys(require.cache).filter((f) => f.includes(path.join('node_modules', '${PKG.name}'))).map((f) => f.split('${PKG.name}' + path.sep)[1].split(path.sep).join('/')).sort();
const main = require('${PKG.name}');
const loadedByMain = own();
const { App, Chart } = require('cdk8s');
const app = new App(); const chart = new Chart(app, 'c');
new main.SafePod(chart, 'p', { containers: [{ image: 'nginx:1.27.0' }] });
const synthYaml = app.synthYaml();
let synthError = '';
const bad = new App(); new main.SafePod(new Chart(bad, 'c'), 'p', { containers: [{ image: 'nginx' }] });
try { bad.synthYaml(); } catch (e) { synthError = String(e.message); }
const kubernetes = require('${PKG.name}/kubernetes');
let quantityErrorShared = false;
try { main.ResourceQuantity.parse('not a quantity'); } catch (e) { quantityErrorShared = e instanceof kubernetes.QuantityError; }
const explain = require('${PKG.name}/explain');
const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'a', image: 'nginx:1.27.0' }] } };
const explainFindsPod = explain.explainObjects([pod]).length;
const pluginExports = Object.keys(require('${PKG.name}/plugin'));
process.stdout.write(JSON.stringify({ loadedByMain, synthYaml, synthError, quantityErrorShared, explainFindsPod, pluginExports }));
`;

/** The environment without what an outer `npm test` sets for its scripts (prefixes, package fields, lifecycle). */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!/^(npm_|INIT_CWD$)/i.test(k)) env[k] = v;
  }
  return { ...env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
}

function run(cmd: string, args: string[], cwd: string): { stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: cleanEnv(), timeout: TIMEOUT });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
  return { stdout: r.stdout, stderr: r.stderr };
}

/** `npm warn` lines that are not about this machine having no npm login (expected in a dry run). */
function packageWarnings(output: string): string[] {
  return output.split('\n').filter((l) => /^npm warn/i.test(l) && !/requires you to be logged in/.test(l));
}

describe('a clean clone of HEAD (slow: clone, build through prepack, pack, publish --dry-run)', () => {
  let tmp: string;
  let repo: string;
  let cache: string;
  let packStdout: string;
  let tarball: string;
  let entries: string[];

  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'safe-pods-clone-'));
    repo = path.join(tmp, 'repo');
    cache = path.join(tmp, 'npm-cache');
    const head = run('git', ['rev-parse', 'HEAD'], ROOT).stdout.trim();
    run('git', ['clone', '--quiet', '--no-checkout', ROOT, repo], tmp);
    run('git', ['checkout', '--quiet', '--detach', head], repo);
    fs.symlinkSync(fs.realpathSync(path.join(ROOT, 'node_modules')), path.join(repo, 'node_modules'), 'dir');
    expect(fs.existsSync(path.join(repo, 'lib'))).toBe(false);
    packStdout = run('npm', ['pack', '--offline', '--cache', cache], repo).stdout;
    tarball = path.join(repo, `${PKG.name}-${PKG.version}.tgz`);
    entries = run('tar', ['-tzf', tarball], tmp)
      .stdout.split('\n')
      .filter((l) => l !== '')
      .map((l) => l.replace(/^package\//, ''))
      .sort();
  }, TIMEOUT);

  afterAll(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  test('npm pack prints only the tarball name on stdout (pre-commit installs node hooks by reading it)', () => {
    expect(packStdout).toBe(`${PKG.name}-${PKG.version}.tgz\n`);
    expect(fs.existsSync(tarball)).toBe(true);
  });

  test('prepack built lib/: the tarball has the entry points, the CLI and the declarations', () => {
    for (const f of ['lib/index.js', 'lib/index.d.ts', 'lib/cli/main.js', 'lib/cli/run.d.ts', 'lib/plugin/index.js', 'lib/plugin/index.d.ts']) {
      expect(entries).toContain(f);
    }
    expect(entries.filter((f) => f.endsWith('.d.ts')).length).toBeGreaterThan(10);
  });

  test('the tarball has no sources, tests, examples, docs or tooling files', () => {
    expect(entries.filter((f) => /^(src|test|examples|docs|scripts|bench|\.github|\.ci)\//.test(f))).toEqual([]);
    expect(
      entries.filter((f) => !/^lib\/.+(\.js|\.d\.ts)$/.test(f) && !['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md'].includes(f)),
    ).toEqual([]);
  });

  test('the JavaScript is three bundles and four one-line entry shims (scripts/bundle.ts)', () => {
    const shims = ENTRY_POINTS.map((e) => `lib/${e.key}.js`);
    const bundles = Object.values(BUNDLE_FILES).map((f) => `lib/${f}`);
    expect(entries.filter((f) => f.endsWith('.js')).sort()).toEqual([...shims, ...bundles].sort());
  });

  describe('the packed library, installed (node_modules/cdk8s-safe-pods, resolved through package.json exports)', () => {
    let probe: Record<string, unknown>;

    beforeAll(() => {
      const installed = path.join(repo, 'installed');
      const pkgDir = path.join(installed, 'node_modules', PKG.name);
      fs.mkdirSync(pkgDir, { recursive: true });
      run('tar', ['-xzf', tarball, '-C', pkgDir, '--strip-components=1'], tmp);
      fs.writeFileSync(path.join(installed, 'probe.js'), PROBE);
      // a package of its own: otherwise Node resolves the name to the clone itself (a package's self-reference)
      fs.writeFileSync(path.join(installed, 'package.json'), JSON.stringify({ name: 'probe', private: true }));
      probe = JSON.parse(run(process.execPath, ['probe.js'], installed).stdout) as Record<string, unknown>;
    }, TIMEOUT);

    test('require of the main entry opens two files of the package: the shim and the core bundle', () => {
      expect(probe.loadedByMain).toEqual(['lib/_bundle/core.js', 'lib/index.js']);
    });

    test('a SafePod synthesizes, and an unpinned image fails the synth with its rule id (rules load from the lazy bundle)', () => {
      expect(probe.synthYaml).toContain('imagePullPolicy: IfNotPresent');
      expect(probe.synthError).toContain('image-not-pinned');
    });

    test('the entry points share one copy of each class: an error thrown through one is instanceof the export of another', () => {
      expect(probe.quantityErrorShared).toBe(true);
      expect(probe.explainFindsPod).toBe(1);
      expect(probe.pluginExports).toEqual(['SafePodsValidation']);
    });

    test('the installed CLI prints the package version and checks a file', () => {
      const bin = path.join(repo, 'installed', 'node_modules', PKG.name, PKG.bin[PKG.name]);
      expect(run(process.execPath, [bin, '--version'], repo).stdout.trim()).toBe(PKG.version);
      const file = path.join(repo, 'installed', 'pod.yaml');
      fs.writeFileSync(
        file,
        'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: a, image: "nginx:1.27.0", imagePullPolicy: IfNotPresent}]}\n',
      );
      const r = spawnSync(process.execPath, [bin, 'check', '--format', 'json', file], { cwd: repo, encoding: 'utf8', env: cleanEnv() });
      expect(r.stderr).toBe('');
      expect((JSON.parse(r.stdout) as { summary: { objects: number } }).summary.objects).toBe(1);
    });
  });

  test('the packed CLI starts with a node shebang', () => {
    const main = run('tar', ['-xzOf', tarball, 'package/lib/cli/main.js'], tmp).stdout;
    expect(main.split('\n')[0]).toBe('#!/usr/bin/env node');
  });

  test('package.json has what the registry and provenance need', () => {
    expect(PKG.repository).toEqual({ type: 'git', url: expect.stringMatching(/^git\+https:\/\/github\.com\/[^/]+\/[^/]+\.git$/) });
    const web = PKG.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');
    expect(PKG.homepage).toBe(`${web}#readme`);
    expect(PKG.bugs).toEqual({ url: `${web}/issues` });
    expect(PKG.publishConfig).toEqual({ access: 'public', provenance: true });
    expect(PKG.scripts.prepack).toMatch(/npm run build$/);
    expect(PKG.license).toBe('Apache-2.0');
  });

  test(
    'npm publish --dry-run is clean: public access, and no warning about package.json',
    () => {
      const { stdout, stderr } = run('npm', ['publish', '--dry-run', '--offline', '--ignore-scripts', '--cache', cache], repo);
      const output = `${stdout}\n${stderr}`;
      expect(packageWarnings(output)).toEqual([]);
      expect(output).toMatch(/Publishing to \S+ with tag latest and public access \(dry-run\)/);
      expect(output).toContain(`+ ${PKG.name}@${PKG.version}`);
    },
    TIMEOUT,
  );

  test(
    'the warning check sees a package.json npm has to correct (a shorthand repository, a bin path with ./)',
    () => {
      const file = path.join(repo, 'package.json');
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
      fs.writeFileSync(
        file,
        JSON.stringify({ ...pkg, repository: 'github:owner/name', bin: { [PKG.name]: `./${Object.values(PKG.bin as Record<string, string>)[0]}` } }),
      );
      const { stdout, stderr } = run('npm', ['publish', '--dry-run', '--offline', '--ignore-scripts', '--cache', cache], repo);
      expect(packageWarnings(`${stdout}\n${stderr}`).join('\n')).toMatch(/auto-corrected|repository/);
    },
    TIMEOUT,
  );
});
