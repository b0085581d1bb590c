import { App } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { ExitCode } from '../../src/cli/run';
import type { ExplainReport } from '../../src/explain';
import { explainExamples } from '../../examples/explain';
import { buildExamples } from '../../examples/main';
import { subjectsOf } from '../../src/rules/normalize';

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await explainExamples(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

describe('examples/explain.ts', () => {
  test('explains every pod of the examples app, with nothing it cannot read', async () => {
    const r = await run(['--format', 'json', '--kubernetes-version', '1.30']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(ExitCode.OK);
    const report = JSON.parse(r.stdout) as ExplainReport;
    // every object with a pod spec: the Pods and the pod templates of the workloads
    const pods = parseAllDocuments(buildExamples(new App()).synthYaml())
      .map((d) => d.toJS() as { kind: string; metadata: { name: string } })
      .filter((o) => subjectsOf(o).length > 0)
      .map((o) => o.metadata.name);
    expect(report.pods.map((p) => p.name)).toEqual(pods);
    for (const p of report.pods) expect(p.problems).toEqual([]);
    // the graceful-shutdown example: preStop sleep 10 s, then the app's 20 s reserve inside the 45 s grace period
    const checkout = report.pods.find((p) => p.name.startsWith('graceful-checkout'))!;
    const lane = checkout.timeline.stop.lanes.find((l) => l.container === 'checkout')!;
    expect(lane.marks.map((m) => [m.kind, m.atSeconds])).toEqual([
      ['SIGTERM', 10],
      ['SIGKILL', 45],
    ]);
  });

  test('passes the options of the command through', async () => {
    const r = await run(['--object', 'Pod/nope']);
    expect(r.code).toBe(ExitCode.USAGE);
    expect(r.stderr).toContain('--object "Pod/nope" names no object');
  });
});
