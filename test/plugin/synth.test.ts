import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * End to end: the real `cdk8s` CLI (offline, `--no-check-upgrade`) synthesizes a tiny app and runs the plugin from a
 * local path. The plugin is loaded from `src/` through a shim that registers ts-node (transpile only), so the test
 * needs no prior build. The shim subclasses `SafePodsValidation` with a test rule, because the catalogue is filled by
 * other areas; a second shim loads the plugin module exactly as published (`class: SafePodsValidation`).
 */

jest.setTimeout(30_000);

const ROOT = path.join(__dirname, '..', '..');
const CDK8S_BIN = path.join(ROOT, 'node_modules', '.bin', 'cdk8s');
const DIGEST = `sha256:${'a'.repeat(64)}`;

/** A JS rule (the shim is plain JS) reporting images with the tag `latest`. */
const TEST_RULE_JS = `{
  id: 'test-latest-tag',
  severity: 'error',
  title: 'No latest tag',
  reason: 'test',
  fix: 'Pin the image',
  check: (s) => s.containers.flatMap((c) => /:latest$/.test(c.container.image || '')
    ? [{ message: 'container ' + JSON.stringify(c.name) + ': image ' + JSON.stringify(c.container.image) + ' uses the tag "latest"',
         field: c.path + '.image', container: c.name }]
    : []),
}`;

function appJs(image: string): string {
  const req = (m: string): string => `require(${JSON.stringify(require.resolve(m, { paths: [ROOT] }))})`;
  return `const { App, Chart, ApiObject } = ${req('cdk8s')};
const kplus = ${req('cdk8s-plus-27')};
const app = new App();
const chart = new Chart(app, 'prod');
new ApiObject(chart, 'web', {
  apiVersion: 'v1', kind: 'Pod',
  spec: { enableServiceLinks: false, containers: [{ name: 'main', image: ${JSON.stringify(image)}, imagePullPolicy: 'IfNotPresent' }] },
});
new kplus.Deployment(chart, 'api', { containers: [{ name: 'api', image: ${JSON.stringify(image)}, portNumber: 8080 }] });
app.synth();
`;
}

function shimJs(body: string): string {
  return `require(${JSON.stringify(require.resolve('ts-node', { paths: [ROOT] }))}).register({
  transpileOnly: true, project: ${JSON.stringify(path.join(ROOT, 'tsconfig.json'))},
});
const plugin = require(${JSON.stringify(path.join(ROOT, 'src', 'plugin'))});
${body}
`;
}

function cdk8sYaml(pkg: string, cls: string): string {
  return `language: typescript
app: node app.js
validations:
  - package: ${pkg}
    version: 0.0.0
    class: ${cls}
    properties:
      kubernetesVersion: "1.30"
`;
}

function synth(dir: string): { status: number | null; out: string; ms: number } {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: dir };
  delete env.CDK8S_RECORD_CONSTRUCT_METADATA;
  delete env.CDK8S_OUTDIR;
  const start = Date.now();
  const r = spawnSync(CDK8S_BIN, ['synth', '--no-check-upgrade'], { cwd: dir, env, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, out: `${r.stdout}\n${r.stderr}`, ms: Date.now() - start };
}

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'safe-pods-synth-'));
  fs.writeFileSync(
    path.join(dir, 'test-shim.js'),
    shimJs(`exports.TestValidation = class extends plugin.SafePodsValidation {
  constructor(props) { super(props, [${TEST_RULE_JS}]); }
};`),
  );
  fs.writeFileSync(path.join(dir, 'plugin-shim.js'), shimJs('module.exports = plugin;'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('cdk8s synth with the validation plugin', () => {
  test('fails with exit 2 and reports the rule id, the construct paths and the fields of a bad Pod and Deployment', () => {
    fs.writeFileSync(path.join(dir, 'app.js'), appJs('nginx:latest'));
    fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), cdk8sYaml('./test-shim.js', 'TestValidation'));
    const r = synth(dir);
    expect(r.out).toMatch(/Validation failed/);
    expect(r.status).toBe(2);
    expect(r.out).toMatch(/test-latest-tag \(2 occurrences\)/);
    expect(r.out).toMatch(/Construct Path: prod\/web\n/);
    // a cdk8s-plus Deployment is recorded by its L1 child
    expect(r.out).toMatch(/Construct Path: prod\/api\/Resource\n/);
    expect(r.out).toMatch(
      /> spec\.containers\[0\]\.image \(line \d+\): error test-latest-tag: Pod "prod-web-c8[0-9a-f]+": container "main": image "nginx:latest" uses the tag "latest"/,
    );
    expect(r.out).toMatch(
      /> spec\.template\.spec\.containers\[0\]\.image \(line \d+\): error test-latest-tag: Deployment "prod-api-c8[0-9a-f]+": container "api"/,
    );
    expect(r.out).toMatch(/Kubernetes version +│ 1\.30/);
    expect(r.ms).toBeLessThan(20_000);
  });

  test('passes with exit 0 when every pod passes', () => {
    fs.writeFileSync(path.join(dir, 'app.js'), appJs(`nginx:1.27.3@${DIGEST}`));
    fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), cdk8sYaml('./test-shim.js', 'TestValidation'));
    const r = synth(dir);
    expect(r.out).toMatch(/Validations ended succesfully/);
    expect(r.status).toBe(0);
  });

  test('loads the plugin module from a local path by its class name SafePodsValidation', () => {
    fs.writeFileSync(path.join(dir, 'app.js'), appJs(`nginx:1.27.3@${DIGEST}`));
    fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), cdk8sYaml('./plugin-shim.js', 'SafePodsValidation'));
    const r = synth(dir);
    expect(r.out).toMatch(/Validation Report \(.*plugin-shim\.js@0\.0\.0\)/);
    expect(r.out).toMatch(/Errors +│ 0/);
    expect(r.status).toBe(0);
  });
});
