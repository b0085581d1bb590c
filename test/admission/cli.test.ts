import { parseAllDocuments } from 'yaml';
import { admissionPolicies } from '../../src/admission/policies';
import { runExport } from '../../src/cli/export';
import { ExitCode, runCli } from '../../src/cli/run';
import { KubernetesVersion } from '../../src/k8s/version';

async function run(argv: string[], via: 'export' | 'cli' = 'cli'): Promise<{ code: ExitCode; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io = { stdout: (t: string) => (stdout += t), stderr: (t: string) => (stderr += t) };
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
    expect(stdout.startsWith('# cdk8s-safe-pods admission policies for Kubernetes 1.30\n')).toBe(true);
    expect(documents(stdout)).toEqual(JSON.parse(JSON.stringify(admissionPolicies().objects)));
  });

  test('honours --kubernetes-version, --audit and --require-digest', async () => {
    const { code, stdout } = await run(['export', 'admission-policies', '--kubernetes-version', '1.34', '--audit', '--require-digest']);
    expect(code).toBe(ExitCode.OK);
    const expected = admissionPolicies({ kubernetesVersion: KubernetesVersion.V1_34, audit: true, requireDigest: true });
    expect(documents(stdout)).toEqual(JSON.parse(JSON.stringify(expected.objects)));
  });

  test.each([
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
