import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { buildExamples } from '../../examples/main';
import { runCli } from '../../src/cli/run';

const BAD = path.join(__dirname, '..', 'fixtures', 'bad-manifests');

async function check(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(['check', ...args], { stdout: (t) => (out += t), stderr: (t) => (err += t) });
  return { code, out, err };
}

describe('the CLI on real folders', () => {
  test('a folder of bad manifests exits 1 with exactly one finding per planted mistake (named in each file)', async () => {
    const { code, out } = await check(['--format', 'json', BAD]);
    expect(code).toBe(1);
    const findings = JSON.parse(out).findings as Array<{ rule: string; file: string }>;
    const files = fs.readdirSync(BAD).filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThanOrEqual(10);
    for (const f of files) {
      const planted = /# planted: ([a-z0-9-]+)/.exec(fs.readFileSync(path.join(BAD, f), 'utf8'))![1];
      const got = findings.filter((x) => path.basename(x.file) === f).map((x) => x.rule);
      expect({ file: f, rules: got }).toEqual({ file: f, rules: [planted] });
    }
  });

  test('the synthesized examples (the dist/ of `npm run synth`) pass with exit 0 for the cluster version they target', async () => {
    const app = buildExamples(Testing.app());
    app.synth();
    // the graceful-shutdown example targets 1.30 (native sleep hook); at 1.27 the CLI refuses it, as it should
    expect((await check(['--kubernetes-version', '1.27', app.outdir])).code).toBe(1);
    const { code, out, err } = await check(['--kubernetes-version', '1.30', app.outdir]);
    expect(err).toEqual('');
    expect(out).toMatch(/no errors|0 errors/);
    expect(code).toBe(0);
  });
});
