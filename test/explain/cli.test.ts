import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Ajv from 'ajv';
import { runExplain } from '../../src/cli/explain';
import type { ExplainCliIo } from '../../src/cli/explain';
import { ExitCode, runCli } from '../../src/cli/run';
import type { ExplainReport } from '../../src/explain';
import { explainPod } from '../../src/explain';

const ESC = String.fromCharCode(27);
const EXAMPLE = path.join(__dirname, '..', '..', 'examples', 'explain-shop.yaml');
const SCHEMA = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'explain.schema.json'), 'utf8'));

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function run(argv: string[], options: { stdin?: string; isTTY?: boolean } = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const io: ExplainCliIo = {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    // outside the repository: no safe-pods.config.json applies, the defaults do
    cwd: os.tmpdir(),
    ...(options.stdin !== undefined ? { stdin: async () => options.stdin! } : {}),
    ...(options.isTTY !== undefined ? { isTTY: options.isTTY } : {}),
  };
  const code = await runCli(['explain', ...argv], io);
  return { code, stdout, stderr };
}

function validator(): (x: unknown) => string[] {
  const validate = new Ajv({ allErrors: true, strict: false }).compile(SCHEMA);
  return (x) => (validate(x) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));
}

describe('cdk8s-safe-pods explain', () => {
  test('--format json: the final environment with sources and the timeline in seconds, valid against docs/explain.schema.json', async () => {
    const r = await run(['--format', 'json', EXAMPLE]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(ExitCode.OK);
    const report = JSON.parse(r.stdout) as ExplainReport;
    expect(validator()(report)).toEqual([]);
    expect(report.pods.map((p) => `${p.kind}/${p.name}`)).toEqual(['Pod/web']);
    const web = report.pods[0].containers.find((c) => c.name === 'web')!;
    expect(web.env.find((v) => v.name === 'CACHE_URL')).toMatchObject({ value: 'redis://10.0.0.11:6379/0', source: 'env[3]' });
    expect(web.env.find((v) => v.name === 'REDIS_SERVICE_HOST')).toMatchObject({ value: '10.0.0.11', source: 'service redis' });
    const stop = report.pods[0].timeline.stop.lanes.find((l) => l.container === 'web')!;
    expect(stop.marks.map((m) => [m.kind, m.atSeconds])).toEqual([
      ['SIGTERM', 15],
      ['SIGKILL', 30],
    ]);
  });

  test('the schema rejects what the result does not have (so it cannot drift from the types unnoticed)', () => {
    const validate = validator();
    const pod = explainPod({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'a', image: 'nginx:1' }] } });
    expect(validate({ pods: [pod] })).toEqual([]);
    expect(validate({ pods: [{ ...pod, extra: 1 }] }).join('\n')).toMatch(/additional properties/);
    expect(validate({ pods: [{ ...pod, containers: [{ ...pod.containers[0], env: [{ name: 'A' }] }] }] }).length).toBeGreaterThan(0);
    // malformed input gives a result the schema still describes
    expect(validate({ pods: [explainPod({ apiVersion: 'v1', kind: 'Pod', spec: { containers: 'x' } }), explainPod(null)] })).toEqual([]);
  });

  test('--format text: aligned, without colour when stdout is not a terminal, with colour when it is', async () => {
    const plain = await run([EXAMPLE]);
    expect(plain.code).toBe(ExitCode.OK);
    expect(plain.stdout).not.toContain(ESC);
    expect(plain.stdout).toMatch(/^Pod shop\/web {2}\(Kubernetes 1\.27\)$/m);
    expect(plain.stdout).toMatch(/^ {6}LOG_LEVEL +env\[0\] +debug$/m);
    expect(plain.stdout).toMatch(/^ {8}shadowed +envFrom\[0\] configMapRef app-config +info$/m);
    // the VALUE column starts at the same place on every row of a container's table
    const web = plain.stdout.slice(plain.stdout.indexOf('container web'), plain.stdout.indexOf('container log-shipper'));
    const rows = web.split('\n').filter((l) => /^ {6}(REDIS_PORT|LOG_LEVEL|CACHE_TTL) /.test(l));
    expect(rows).toHaveLength(3);
    expect(new Set(rows.map((l) => l.search(/ (debug|300|tcp:\/\/)/))).size).toBe(1);
    const tty = await run([EXAMPLE], { isTTY: true });
    expect(tty.stdout).toContain(`${ESC}[1m`);
  });

  test('--format svg writes one SVG document; with several pods it asks for --object', async () => {
    const svg = await run(['--format', 'svg', EXAMPLE]);
    expect(svg.code).toBe(ExitCode.OK);
    expect(svg.stdout).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'explain-'));
    fs.writeFileSync(
      path.join(dir, 'two.yaml'),
      fs.readFileSync(EXAMPLE, 'utf8').replace(/^ {2}name: web$/m, '  name: web-2') + '\n---\n' + fs.readFileSync(EXAMPLE, 'utf8'),
    );
    const two = await run(['--format', 'svg', dir]);
    expect(two.code).toBe(ExitCode.USAGE);
    expect(two.stderr).toContain('--format svg draws one pod; choose it with --object (there are: Pod/web-2, Pod/web)');
    expect((await run(['--format', 'svg', '--object', 'pod/web', dir])).code).toBe(ExitCode.OK);
  });

  test('--object and --container select; unknown ones are usage errors that list what there is', async () => {
    const one = JSON.parse((await run(['--format', 'json', '--object', 'Pod/web', '--container', 'worker', EXAMPLE])).stdout) as ExplainReport;
    expect(one.pods[0].containers.map((c) => c.name)).toEqual(['worker']);
    expect(one.pods[0].timeline.stop.lanes.map((l) => l.container)).toEqual(['worker']);
    const noObject = await run(['--object', 'Deployment/web', EXAMPLE]);
    expect(noObject.code).toBe(ExitCode.USAGE);
    expect(noObject.stderr).toContain('--object "Deployment/web" names no object in the files; there are: Pod/web');
    const noContainer = await run(['--container', 'nope', EXAMPLE]);
    expect(noContainer.code).toBe(ExitCode.USAGE);
    expect(noContainer.stderr).toContain('--container "nope" names no container of the selected objects; there are: web, log-shipper, worker');
    expect((await run(['--object', 'web', EXAMPLE])).stderr).toContain('is not KIND/NAME');
  });

  test('--kubernetes-version, --runtime-class and --kubernetes-service-ip reach the explanation', async () => {
    const yaml =
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  runtimeClassName: gvisor\n  containers: [{name: a, image: "nginx:1", imagePullPolicy: IfNotPresent}]\n';
    const r = JSON.parse(
      (
        await run(['--format', 'json', '--kubernetes-version', '1.30', '--runtime-class', 'gvisor', '--kubernetes-service-ip', '10.96.0.1', '-'], {
          stdin: yaml,
        })
      ).stdout,
    ) as ExplainReport;
    const p = r.pods[0];
    expect(p.kubernetesVersion).toBe('1.30');
    expect(p.runtimeClass).toMatchObject({ name: 'gvisor', known: true, admission: 'admitted' });
    expect(p.containers[0].env.find((v) => v.name === 'KUBERNETES_SERVICE_HOST')?.value).toBe('10.96.0.1');
  });

  test('usage errors: no path, a bad format or version, a file without pods, an unreadable file', async () => {
    expect((await run([])).stderr).toContain('explain needs at least one path');
    expect((await run(['--format', 'yaml', EXAMPLE])).stderr).toContain('--format "yaml" is not supported');
    expect((await run(['--kubernetes-version', '2.0', EXAMPLE])).stderr).toContain('--kubernetes-version');
    const noPods = await run(['-'], { stdin: 'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {ports: [{port: 80}]}\n' });
    expect(noPods.code).toBe(ExitCode.USAGE);
    expect(noPods.stderr).toContain('no pod-bearing object');
    const missing = await run(['/nonexistent/x.yaml']);
    expect(missing.code).toBe(ExitCode.INPUT);
    expect(missing.stderr).toContain('cannot read');
  });

  test('--help prints the explain usage; the main usage lists explain', async () => {
    const help = await run(['--help']);
    expect(help.code).toBe(ExitCode.OK);
    expect(help.stdout).toContain('cdk8s-safe-pods explain [options] <paths...>');
    let out = '';
    await runCli(['--help'], { stdout: (t) => (out += t), stderr: () => undefined });
    expect(out).toContain('cdk8s-safe-pods explain [options] <paths...>');
  });

  test('explain after the options of the main command is explain too', async () => {
    let out = '';
    expect(await runCli(['--format', 'json', 'explain', EXAMPLE], { stdout: (t) => (out += t), stderr: () => undefined })).toBe(ExitCode.OK);
    expect((JSON.parse(out) as ExplainReport).pods).toHaveLength(1);
  });

  test('runExplain takes the arguments after the word explain', async () => {
    let out = '';
    const code = await runExplain(['--format', 'json', EXAMPLE], { stdout: (t) => (out += t), stderr: () => undefined });
    expect(code).toBe(ExitCode.OK);
    expect((JSON.parse(out) as ExplainReport).pods).toHaveLength(1);
  });
});
