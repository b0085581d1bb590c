/**
 * The CI recipes of docs/ci.md are real files (docs/examples/*.yml, .pre-commit-hooks.yaml,
 * .github/workflows/release.yml): they parse, the steps they rely on are there with the right commands, the commands
 * name this package's real bin, command and flags, docs/ci.md shows them verbatim, and the pre-commit entry runs.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { CI_FORMATS } from '../../src/cli/formats';

const ROOT = path.resolve(__dirname, '..', '..');
const PKG = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const BIN = Object.keys(PKG.bin)[0];

function read(rel: string): string {
  return fs.readFileSync(path.join(ROOT, rel), 'utf8');
}

/** Parses YAML strictly: a duplicate key or any warning is an error. */
function yaml(rel: string): any {
  return parse(read(rel), { strict: true, uniqueKeys: true, prettyErrors: true });
}

interface Step {
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly if?: string;
  readonly with?: Record<string, unknown>;
  readonly env?: Record<string, unknown>;
}

/** The index of the first step matching, failing with the list of steps when there is none. */
function indexOf(steps: readonly Step[], what: string, match: (s: Step) => boolean): number {
  const i = steps.findIndex(match);
  if (i < 0) throw new Error(`no step ${what} in:\n${JSON.stringify(steps, null, 2)}`);
  return i;
}

/** `npx cdk8s-safe-pods check --format sarif dist/ > out` → its parts. */
function checkCommand(line: string): { format?: string; paths: string[]; output?: string } {
  const m = new RegExp(`^npx ${BIN} check (.*?)(?: > (\\S+))?(?: \\|\\| true)?$`).exec(line.trim());
  if (!m) throw new Error(`not a check command: ${line}`);
  const args = m[1].split(/\s+/);
  const f = args.indexOf('--format');
  const format = f >= 0 ? args[f + 1] : undefined;
  return { format, paths: args.filter((a, i) => !a.startsWith('--') && (f < 0 || i !== f + 1)), output: m[2] };
}

describe('the GitHub Actions recipe (docs/examples/github-workflow.yml)', () => {
  const wf = yaml('docs/examples/github-workflow.yml');
  const steps: Step[] = wf.jobs.check.steps;

  test('runs on pushes and pull requests with the permissions code scanning needs', () => {
    expect(Object.keys(wf.on)).toEqual(expect.arrayContaining(['push', 'pull_request']));
    expect(wf.permissions).toMatchObject({ contents: 'read', 'security-events': 'write' });
    expect(wf.jobs.check['runs-on']).toBe('ubuntu-latest');
  });

  test('checks out, sets up Node 20, installs with npm ci, synthesizes, checks as SARIF and uploads it, in that order', () => {
    const checkout = indexOf(steps, 'actions/checkout', (s) => /^actions\/checkout@v\d+$/.test(s.uses ?? ''));
    const node = indexOf(steps, 'actions/setup-node', (s) => /^actions\/setup-node@v\d+$/.test(s.uses ?? ''));
    const install = indexOf(steps, 'npm ci', (s) => s.run === 'npm ci');
    const synth = indexOf(steps, 'cdk8s synth', (s) => s.run === 'npx cdk8s synth --no-check-upgrade');
    const check = indexOf(steps, 'check', (s) => s.run?.startsWith(`npx ${BIN} check`) ?? false);
    const upload = indexOf(steps, 'upload-sarif', (s) => /^github\/codeql-action\/upload-sarif@v\d+$/.test(s.uses ?? ''));
    expect([checkout, node, install, synth, check, upload]).toEqual([0, 1, 2, 3, 4, 5]);
    expect(String(steps[node].with?.['node-version'])).toBe('20');
  });

  test('the check writes SARIF from dist/ to the file the upload reads, and the upload runs even when the check fails', () => {
    const check = checkCommand(steps.find((s) => s.run?.startsWith(`npx ${BIN} check`))!.run!);
    expect(check).toEqual({ format: 'sarif', paths: ['dist/'], output: 'safe-pods.sarif' });
    const upload = steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif'))!;
    expect(upload.if).toMatch(/^always\(\)/);
    expect(upload.with?.sarif_file).toBe(check.output);
    expect(upload.if).toContain(`hashFiles('${check.output}')`);
  });

  test('uses the synth command of this package, so the two cannot drift', () => {
    expect(PKG.scripts.synth).toBe('cdk8s synth --no-check-upgrade');
  });
});

describe('the GitLab CI recipe (docs/examples/gitlab-ci.yml)', () => {
  const job = yaml('docs/examples/gitlab-ci.yml')['safe-pods'];

  test('runs on Node 20: npm ci, synth, check as JUnit, then check as text for the log and the status', () => {
    expect(job.image).toBe('node:20');
    const script: string[] = job.script;
    expect(script[0]).toMatch(/^npm ci\b/);
    expect(script[1]).toBe('npx cdk8s synth --no-check-upgrade');
    expect(checkCommand(script[2])).toEqual({ format: 'junit', paths: ['dist/'], output: 'safe-pods.junit.xml' });
    expect(script[2]).toMatch(/\|\| true$/);
    expect(checkCommand(script[3])).toEqual({ format: undefined, paths: ['dist/'], output: undefined });
    expect(script).toHaveLength(4);
  });

  test('keeps the JUnit file as a test report, also when the job fails', () => {
    expect(job.artifacts.when).toBe('always');
    expect(job.artifacts.reports.junit).toBe('safe-pods.junit.xml');
  });
});

describe('the pre-commit hook (.pre-commit-hooks.yaml)', () => {
  const hooks = yaml('.pre-commit-hooks.yaml');
  const hook = hooks[0];
  const files = new RegExp(hook.files);

  test('defines the cdk8s-safe-pods hook as a node hook running check on YAML and JSON files', () => {
    expect(hooks).toHaveLength(1);
    expect(hook).toMatchObject({ id: 'cdk8s-safe-pods', entry: `${BIN} check`, language: 'node', files: '\\.(ya?ml|json)$' });
    expect(typeof hook.name).toBe('string');
    for (const f of ['dist/prod.k8s.yaml', 'k8s/app.yml', 'x/list.json']) expect(files.test(f)).toBe(true);
    for (const f of ['README.md', 'src/main.ts', 'yaml', 'app.yaml.bak']) expect(files.test(f)).toBe(false);
  });

  test('its entry is a bin of this package', () => {
    expect(PKG.bin[hook.entry.split(' ')[0]]).toBe('lib/cli/main.js');
    expect(fs.existsSync(path.join(ROOT, 'src', 'cli', 'main.ts'))).toBe(true);
  });

  /** Runs the hook's entry as pre-commit would (entry + the matching files), from the sources instead of lib/. */
  function runEntry(fileArgs: string[]): { status: number | null; stdout: string; stderr: string } {
    const [bin, ...args] = hook.entry.split(' ');
    const main = path.join(ROOT, PKG.bin[bin].replace(/^lib\//, 'src/').replace(/\.js$/, '.ts'));
    const r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', main, ...args, ...fileArgs.filter((f) => files.test(f))], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, TS_NODE_PROJECT: path.join(ROOT, 'tsconfig.json') },
      timeout: 60_000,
    });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  test('passes a commit whose manifests are fine, and files that hold no pod spec', () => {
    const r = runEntry(['test/fixtures/ci/passing.k8s.yaml', 'package.json', '.pre-commit-hooks.yaml', 'README.md']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^0 errors, 0 warnings in \d+ objects? \(3 files\)$/m);
    expect(r.status).toBe(0);
  }, 60_000);

  test('fails a commit with a broken manifest, naming the file, line and rule', () => {
    const r = runEntry(['test/fixtures/ci/passing.k8s.yaml', 'test/fixtures/ci/failing.k8s.yaml']);
    expect(r.stdout).toMatch(/^test\/fixtures\/ci\/failing\.k8s\.yaml:11:14: error image-not-pinned: Pod "shop\/debug"/m);
    expect(r.stdout).toMatch(/^1 error, 0 warnings in 2 objects \(2 files\)$/m);
    expect(r.status).toBe(1);
  }, 60_000);
});

describe('the release workflow (.github/workflows/release.yml)', () => {
  const wf = yaml('.github/workflows/release.yml');
  const job = wf.jobs.publish;
  const steps: Step[] = job.steps;

  test('runs on v* tags only', () => {
    expect(wf.on).toEqual({ push: { tags: ['v*'] } });
  });

  test('may mint an OIDC token for provenance, and otherwise only read', () => {
    expect(job.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    expect(wf.permissions).toEqual({ contents: 'read' });
  });

  test('checks the tag against the version, installs with npm ci, tests, then publishes with provenance', () => {
    const node = indexOf(steps, 'setup-node', (s) => /^actions\/setup-node@v\d+$/.test(s.uses ?? ''));
    expect(steps[node].with).toMatchObject({ 'node-version': 20, 'registry-url': 'https://registry.npmjs.org' });
    const tag = indexOf(steps, 'tag check', (s) => s.run?.includes('$GITHUB_REF_NAME') ?? false);
    const install = indexOf(steps, 'npm ci', (s) => s.run === 'npm ci');
    const test = indexOf(steps, 'npm test', (s) => s.run === 'npm test');
    const publish = indexOf(steps, 'npm publish', (s) => s.run?.startsWith('npm publish') ?? false);
    expect(node < tag && tag < install && install < test && test < publish).toBe(true);
    expect(steps[publish].run).toMatch(/--provenance\b/);
    expect(steps[publish].env?.NODE_AUTH_TOKEN).toBe('${{ secrets.NPM_TOKEN }}');
    expect(steps[tag].run).toContain('require("./package.json").version');
  });

  test('the tag check passes for the right tag and fails for another', () => {
    const cmd = steps.find((s) => s.run?.includes('$GITHUB_REF_NAME'))!.run!;
    const sh = (ref: string): number | null => spawnSync('bash', ['-c', cmd], { cwd: ROOT, env: { ...process.env, GITHUB_REF_NAME: ref } }).status;
    expect(sh(`v${PKG.version}`)).toBe(0);
    expect(sh('v0.0.0-not-this')).not.toBe(0);
  });
});

describe('docs/ci.md', () => {
  const doc = read('docs/ci.md');

  test.each(['docs/examples/github-workflow.yml', 'docs/examples/gitlab-ci.yml', '.pre-commit-hooks.yaml'])('shows %s verbatim', (rel) => {
    expect(doc).toContain(read(rel).trimEnd());
  });

  test('every format it names exists, and every relative link resolves', () => {
    for (const m of doc.matchAll(/--format (\w+)/g)) expect(['text', 'json', ...CI_FORMATS]).toContain(m[1]);
    for (const m of doc.matchAll(/\]\((?!https?:|#)([^)#]+)(#[^)]*)?\)/g))
      expect([m[1], fs.existsSync(path.join(ROOT, 'docs', m[1]))]).toEqual([m[1], true]);
  });
});
