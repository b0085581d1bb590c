import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { admissionPolicies } from '../../src/admission/policies';
import { runExport } from '../../src/cli/export';
import { ExitCode, runCli } from '../../src/cli/run';
import { KubernetesVersion } from '../../src/k8s/version';
import { Severity } from '../../src/rules/types';

const made: string[] = [];
afterAll(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

/** A configuration file in a fresh folder (removed after the tests); its path. */
function configFile(content: unknown): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'safe-pods-export-'));
  made.push(dir);
  const file = path.join(dir, 'safe-pods.config.json');
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

const CONFIG = {
  kubernetesVersion: '1.33',
  requireDigest: true,
  rules: {
    'image-floating-tag': { severity: 'off', reason: 'digests are required on this cluster' },
    'env-duplicate-name': 'warning',
    'lifecycle-host-set': 'error',
  },
};

async function run(argv: string[], via: 'export' | 'cli' = 'cli', cwd?: string): Promise<{ code: ExitCode; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io = { stdout: (t: string) => (stdout += t), stderr: (t: string) => (stderr += t), ...(cwd !== undefined ? { cwd } : {}) };
  const code = via === 'cli' ? await runCli(argv, io) : await runExport(argv, io);
  return { code, stdout, stderr };
}

function documents(yaml: string): unknown[] {
  return parseAllDocuments(yaml).map((d) => d.toJS());
}

describe('cdk8s-safe-pods export admission-policies', () => {
  test('writes the policies and bindings of admissionPolicies() as YAML documents', async () => {
    const { code, stdout, stderr } = await run(['export', 'admission-policies']);
    expect({ code, stderr }).toEqual({ code: ExitCode.OK, stderr: '' });
    expect(stdout.startsWith('# cdk8s-safe-pods admission policies for Kubernetes 1.30\n# settings from safe-pods.config.json\n')).toBe(true);
    expect(documents(stdout)).toEqual(JSON.parse(JSON.stringify(admissionPolicies().objects)));
  });

  test('honours --kubernetes-version, --audit and --require-digest', async () => {
    const { code, stdout } = await run(['export', 'admission-policies', '--kubernetes-version', '1.34', '--audit', '--require-digest']);
    expect(code).toBe(ExitCode.OK);
    const expected = admissionPolicies({ kubernetesVersion: KubernetesVersion.V1_34, audit: true, requireDigest: true });
    expect(documents(stdout)).toEqual(JSON.parse(JSON.stringify(expected.objects)));
  });

  test('reads the repository configuration: target version, strict mode and rule settings (--config PATH)', async () => {
    const file = configFile(CONFIG);
    const { code, stdout, stderr } = await run(['export', 'admission-policies', '--config', file]);
    expect({ code, stderr }).toEqual({ code: ExitCode.OK, stderr: '' });
    const ruleSettings = new Map<string, Severity | 'off'>([
      ['image-floating-tag', 'off'],
      ['env-duplicate-name', Severity.WARNING],
      ['lifecycle-host-set', Severity.ERROR],
    ]);
    const expected = admissionPolicies({ kubernetesVersion: KubernetesVersion.V1_33, requireDigest: true, ruleSettings });
    expect(documents(stdout)).toEqual(JSON.parse(JSON.stringify(expected.objects)));
    expect(stdout).toContain(`# settings from ${file} (switched off: image-floating-tag)\n`);
  });

  test('finds the nearest safe-pods.config.json from the working directory, as check does', async () => {
    const file = configFile({ kubernetesVersion: '1.32' });
    const { code, stdout } = await run(['export', 'admission-policies'], 'cli', path.dirname(file));
    expect(code).toBe(ExitCode.OK);
    expect(stdout.startsWith('# cdk8s-safe-pods admission policies for Kubernetes 1.32\n# settings from safe-pods.config.json\n')).toBe(true);
    expect(documents(stdout)).toEqual(JSON.parse(JSON.stringify(admissionPolicies({ kubernetesVersion: KubernetesVersion.V1_32 }).objects)));
  });

  test('the options win over the configuration file', async () => {
    const file = configFile({ ...CONFIG, requireDigest: false });
    const { code, stdout } = await run(['export', 'admission-policies', '--config', file, '--kubernetes-version', '1.34', '--require-digest']);
    expect(code).toBe(ExitCode.OK);
    const ruleSettings = new Map<string, Severity | 'off'>([
      ['image-floating-tag', 'off'],
      ['env-duplicate-name', Severity.WARNING],
      ['lifecycle-host-set', Severity.ERROR],
    ]);
    const expected = admissionPolicies({ kubernetesVersion: KubernetesVersion.V1_34, requireDigest: true, ruleSettings });
    expect(documents(stdout)).toEqual(JSON.parse(JSON.stringify(expected.objects)));
  });

  test('--no-config reads no configuration file: the defaults (1.30, every rule at its catalogue severity)', async () => {
    const { code, stdout } = await run(['export', 'admission-policies', '--no-config']);
    expect(code).toBe(ExitCode.OK);
    expect(documents(stdout)).toEqual(JSON.parse(JSON.stringify(admissionPolicies().objects)));
    expect(stdout).not.toContain('# settings from');
  });

  test('a configured target before 1.30 needs --kubernetes-version, naming the file', async () => {
    const file = configFile({ kubernetesVersion: '1.27' });
    const refused = await run(['export', 'admission-policies', '--config', file]);
    expect(refused.code).toBe(ExitCode.USAGE);
    expect(refused.stderr).toContain(`the kubernetesVersion of ${file} is 1.27: ValidatingAdmissionPolicy`);
    expect(refused.stderr).toContain('give the version of the cluster with --kubernetes-version');
    const given = await run(['export', 'admission-policies', '--config', file, '--kubernetes-version', '1.31']);
    expect(given.code).toBe(ExitCode.OK);
  });

  test('a configuration file that is not valid is an error (exit 2) with the loader message', async () => {
    const file = configFile({ rules: { 'image-unpinned': 'error' } });
    const { code, stdout, stderr } = await run(['export', 'admission-policies', '--config', file]);
    expect({ code, stdout }).toEqual({ code: ExitCode.USAGE, stdout: '' });
    expect(stderr).toMatch(/^cdk8s-safe-pods: .*safe-pods\.config\.json: \$\.rules\["image-unpinned"\]/);
    const missing = await run(['export', 'admission-policies', '--config', path.join(os.tmpdir(), 'no-such-safe-pods.json')]);
    expect(missing.code).toBe(ExitCode.USAGE);
    expect(missing.stderr).toContain('the file does not exist');
  });

  test.each([
    [['export', 'admission-policies', '--config', 'x.json', '--no-config'], /--config and --no-config exclude each other/],
    [['export'], /export needs what to export: "admission-policies"/],
    [['export', 'policies'], /cannot export "policies"/],
    [['export', 'admission-policies', '--kubernetes-version', '1.29'], /needs Kubernetes 1\.30 or newer/],
    [['export', 'admission-policies', '--kubernetes-version', 'latest'], /--kubernetes-version: Kubernetes version "latest"/],
    [['export', 'admission-policies', '--format', 'json'], /Unknown option '--format'/],
    [['export', 'admission-policies', 'extra'], /unexpected argument "extra"/],
  ])('%j is a usage error (exit 2)', async (argv, message) => {
    const { code, stdout, stderr } = await run(argv);
    expect({ code, stdout }).toEqual({ code: ExitCode.USAGE, stdout: '' });
    expect(stderr).toMatch(message);
    expect(stderr).toContain('Usage:');
  });

  test('--help prints the usage of export', async () => {
    const { code, stdout } = await run(['--help'], 'export');
    expect(code).toBe(ExitCode.OK);
    expect(stdout).toContain('cdk8s-safe-pods export admission-policies [options]');
  });

  test('the usage of the command names export', async () => {
    const { stdout } = await run(['--help']);
    expect(stdout).toContain('cdk8s-safe-pods export admission-policies');
  });
});
