/**
 * Issue 13: one source of truth. The target version in the repository's safe-pods.config.json is seen alike by the app
 * (SafePodsSettings), the validation plugin and the CLI; and after `npm run synth`, `check dist/` passes with no flags.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import { buildExamples } from '../../examples/main';
import { ExitCode, runCli } from '../../src/cli/run';
import { SafePod } from '../../src/constructs/safe-pod';
import { LifecycleHook } from '../../src/hooks/hook';
import { SafePodsValidation } from '../../src/plugin';
import type { PluginValidationContext } from '../../src/plugin';

const ROOT = path.join(__dirname, '..', '..');
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** A repository (a folder with .git) whose config file targets `version`. */
function repository(version: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'safe-pods-one-source-'));
  dirs.push(dir);
  fs.mkdirSync(path.join(dir, '.git'));
  fs.writeFileSync(path.join(dir, 'safe-pods.config.json'), JSON.stringify({ kubernetesVersion: version }));
  return dir;
}

/** Runs `fn` with `dir` as the working directory. */
function inDir<T>(dir: string, fn: () => T): T {
  const previous = process.cwd();
  process.chdir(dir);
  try {
    return fn();
  } finally {
    process.chdir(previous);
  }
}

/** Synthesizes a pod with a native sleep hook in `dir`: the message of the synth error, or '' when it passes. */
function synthIn(dir: string): { error: string; yaml: string } {
  return inDir(dir, () => {
    const app = new App({ outdir: path.join(dir, 'dist') });
    new SafePod(new Chart(app, 'prod'), 'web', { containers: [{ image: 'nginx:1.27.3', hooks: { preStop: LifecycleHook.sleep(5) } }] });
    try {
      return { error: '', yaml: app.synthYaml() };
    } catch (e) {
      return { error: (e as Error).message, yaml: '' };
    }
  });
}

async function pluginVersion(dir: string, manifest: string): Promise<string> {
  const metadata: Record<string, string> = {};
  const ctx: PluginValidationContext = {
    manifests: [manifest],
    metadata: {},
    report: { addViolation: () => undefined, submit: (_status, meta) => Object.assign(metadata, meta) },
  };
  const plugin = inDir(dir, () => new SafePodsValidation());
  await plugin.validate(ctx);
  return metadata['Kubernetes version'];
}

async function cliRules(dir: string, manifest: string): Promise<string[]> {
  let out = '';
  await runCli(['check', '--format', 'json', manifest], { stdout: (t) => (out += t), stderr: () => undefined, cwd: dir });
  return JSON.parse(out).findings.map((f: { rule: string }) => f.rule);
}

describe('safe-pods.config.json is the one source of the target version', () => {
  test('the app, the plugin and the CLI all follow it', async () => {
    const old = repository('1.27');
    const next = repository('1.30');
    // the app: the native sleep is refused on 1.27 and written on 1.30
    expect(synthIn(old).error).toMatch(/error lifecycle-sleep-unsupported: .*Kubernetes 1\.27 does not run/);
    const { error, yaml } = synthIn(next);
    expect(error).toBe('');
    const manifest = path.join(next, 'pod.yaml');
    fs.writeFileSync(manifest, yaml);
    // the plugin and the CLI, on the same manifest, in each repository
    expect(await pluginVersion(old, manifest)).toBe('1.27');
    expect(await pluginVersion(next, manifest)).toBe('1.30');
    expect(await cliRules(old, manifest)).toEqual(['lifecycle-sleep-unsupported']);
    expect(await cliRules(next, manifest)).toEqual([]);
  });

  test("the examples' own output passes `check dist/` with no flags, and names the constructs", async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'safe-pods-examples-'));
    dirs.push(out);
    const app = buildExamples(Testing.app({ outdir: out, recordConstructMetadata: true }));
    app.synth();
    let stdout = '';
    const code = await runCli(['check', out], { stdout: (t) => (stdout += t), stderr: (t) => (stdout += t), cwd: ROOT });
    expect(stdout).toMatch(/^0 errors, 0 warnings in \d+ objects \(\d+ files; skipped 1 construct-metadata\.json file\)\n$/);
    expect(code).toBe(ExitCode.OK);
  });
});
