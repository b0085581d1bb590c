/**
 * `check` as a CI job uses it (issue 13): every output format from the real CLI (SARIF valid against the 2.1.0 schema,
 * GitHub workflow commands, JUnit XML), findings sorted by file, line and rule, `--fail-on`, `--version`, the
 * repository configuration file (flags win over it), and the construct path cdk8s records beside its manifests.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { XMLValidator } from 'fast-xml-parser';
import { ExitCode, runCli } from '../../src/cli/run';
import { sarifErrors } from './formats/sarif-schema';

let dir: string;
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'safe-pods-ci-output-'))));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function pod(name: string, image: string, extra = ''): string {
  return [
    'apiVersion: v1',
    'kind: Pod',
    `metadata: { name: ${name} }`,
    'spec:',
    '  enableServiceLinks: false',
    '  containers:',
    '    - name: app',
    `      image: ${image}`,
    '      imagePullPolicy: IfNotPresent',
    extra,
  ].join('\n');
}

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

async function run(argv: string[]): Promise<{ code: ExitCode; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: dir });
  return { code, stdout, stderr };
}

describe('check in CI', () => {
  test('--format sarif writes a SARIF 2.1.0 log the schema accepts, with rules, sorted results and relative URIs', async () => {
    write('b.yaml', pod('b', 'nginx:latest'));
    write('a.yaml', pod('a', 'redis:alpine'));
    const r = await run(['check', '--format', 'sarif', dir]);
    expect(r.code).toBe(ExitCode.FINDINGS);
    const log = JSON.parse(r.stdout);
    expect(sarifErrors(log)).toEqual([]);
    const [runLog] = log.runs;
    expect(runLog.tool.driver.rules.map((x: { id: string }) => x.id)).toContain('image-not-pinned');
    expect(
      runLog.results.map((x: { ruleId: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }) => [
        x.ruleId,
        x.locations[0].physicalLocation.artifactLocation.uri,
      ]),
    ).toEqual([
      ['image-floating-tag', 'a.yaml'],
      ['image-not-pinned', 'b.yaml'],
    ]);
  });

  test('--format github writes one workflow command per finding, with file, line and column', async () => {
    write('a.yaml', pod('a', 'nginx:latest'));
    const r = await run(['check', '--format', 'github', dir]);
    expect(r.code).toBe(ExitCode.FINDINGS);
    expect(r.stdout.split('\n')[0]).toMatch(
      /^::error file=a\.yaml,line=8,col=14,title=image-not-pinned::Pod "a": container "app": image "nginx:latest"/,
    );
  });

  test('--format junit writes well-formed JUnit XML with a failure per error', async () => {
    write('a.yaml', pod('a', 'nginx:latest'));
    const r = await run(['check', '--format', 'junit', dir]);
    expect(XMLValidator.validate(r.stdout)).toBe(true);
    expect(r.stdout).toMatch(/<failure[^>]*type="error"/);
  });

  test('--fail-on warning fails on warnings, the default does not', async () => {
    write('a.yaml', pod('a', 'redis:alpine'));
    expect((await run(['check', dir])).code).toBe(ExitCode.OK);
    expect((await run(['check', '--fail-on', 'warning', dir])).code).toBe(ExitCode.FINDINGS);
    expect((await run(['check', '--fail-on', 'info', dir])).code).toBe(ExitCode.USAGE);
  });

  test('--version prints the package version', async () => {
    const r = await run(['--version']);
    expect(r.code).toBe(ExitCode.OK);
    expect(r.stdout).toBe(`${JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')).version}\n`);
  });

  test('reads safe-pods.config.json: target version, rule severities, failOn; flags win over it', async () => {
    const sleep = '      lifecycle: { preStop: { sleep: { seconds: 5 } } }';
    write('pods/a.yaml', pod('a', 'redis:alpine', sleep));
    fs.mkdirSync(path.join(dir, '.git'));
    // without a file: 1.27 does not run the native sleep, and a floating tag warns
    const before = await run(['check', '--format', 'json', 'pods']);
    expect(
      JSON.parse(before.stdout)
        .findings.map((f: { rule: string }) => f.rule)
        .sort(),
    ).toEqual(['image-floating-tag', 'lifecycle-sleep-unsupported']);
    write('safe-pods.config.json', JSON.stringify({ kubernetesVersion: '1.30', rules: { 'image-floating-tag': 'error' } }));
    const after = await run(['check', '--format', 'json', 'pods']);
    expect(JSON.parse(after.stdout).findings.map((f: { rule: string; severity: string }) => [f.rule, f.severity])).toEqual([
      ['image-floating-tag', 'error'],
    ]);
    expect(after.code).toBe(ExitCode.FINDINGS);
    // a flag wins over the file, and --no-config reads none
    const flagged = await run(['check', '--format', 'json', '--kubernetes-version', '1.27', 'pods']);
    expect(JSON.parse(flagged.stdout).findings.map((f: { rule: string }) => f.rule)).toContain('lifecycle-sleep-unsupported');
    const none = await run(['check', '--format', 'json', '--no-config', 'pods']);
    expect(JSON.parse(none.stdout).findings.map((f: { rule: string; severity: string }) => f.severity)).toContain('warning');
    // a broken file is a usage error that names it
    write('safe-pods.config.json', JSON.stringify({ kubernetesVersion: 1.3 }));
    const broken = await run(['check', 'pods']);
    expect(broken.code).toBe(ExitCode.USAGE);
    expect(broken.stderr).toMatch(/safe-pods\.config\.json: \$\.kubernetesVersion: /);
  });

  test('names the construct that made an object, from the construct-metadata.json cdk8s writes beside it', async () => {
    write('dist/prod.k8s.yaml', pod('prod-web-c8d2d375', 'nginx:latest'));
    write('dist/construct-metadata.json', JSON.stringify({ version: '1.0.0', resources: { 'prod-web-c8d2d375': { path: 'prod/web' } } }));
    const text = await run(['check', 'dist']);
    expect(text.stdout).toMatch(/prod\.k8s\.yaml:8:14: error image-not-pinned: Pod "prod-web-c8d2d375": .* \(construct prod\/web\)\n/);
    const json = JSON.parse((await run(['check', '--format', 'json', 'dist'])).stdout);
    expect(json.findings[0].constructPath).toBe('prod/web');
    const sarif = JSON.parse((await run(['check', '--format', 'sarif', 'dist'])).stdout);
    expect(JSON.stringify(sarif.runs[0].results[0])).toContain('prod/web');
  });
});
