import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { buildExamples } from '../examples/main';
import { validateWithKubernetesModels } from './support/kubernetes-models';

function synthExamples(): Array<{ apiVersion: string; kind: string; metadata: { name: string }; [k: string]: unknown }> {
  const app = buildExamples(Testing.app());
  return parseAllDocuments(app.synthYaml()).map((d) => d.toJS());
}

describe('examples', () => {
  test('every synthesized object is valid against the Kubernetes OpenAPI schema (kubernetes-models)', () => {
    const objects = synthExamples();
    expect(objects.length).toBeGreaterThan(0);
    for (const obj of objects) {
      expect(() => validateWithKubernetesModels(obj)).not.toThrow();
    }
  });

  test('every container of every example pod has an explicit imagePullPolicy', () => {
    const pods = synthExamples().filter((o) => o.kind === 'Pod') as unknown as Array<{ spec: { containers: Array<{ imagePullPolicy?: string }> } }>;
    expect(pods.length).toBeGreaterThan(0);
    for (const pod of pods) for (const c of pod.spec.containers) expect(c.imagePullPolicy).toMatch(/^(Always|IfNotPresent|Never)$/);
  });

  test('the web frontend pod', () => {
    const pod = synthExamples().find((o) => o.kind === 'Pod' && o.metadata.name.startsWith('web-frontend'));
    expect(pod).toMatchSnapshot();
  });

  test('every pod template of the example workloads has explicit pull policies and service links off', () => {
    const templates = synthExamples().flatMap((o: any) => {
      const t = o.kind === 'CronJob' ? o.spec.jobTemplate.spec.template : o.spec?.template;
      return t ? [t.spec] : [];
    });
    expect(templates.length).toBeGreaterThanOrEqual(3);
    for (const spec of templates) {
      expect(spec.enableServiceLinks).toBe(false);
      for (const c of spec.containers) expect(c.imagePullPolicy).toMatch(/^(Always|IfNotPresent|Never)$/);
    }
  });

  // one object per snapshot: a change to one example rewrites one snapshot
  test.each([
    ['Deployment', 'store-storefront'],
    ['Service', 'storefront'],
    ['CronJob', 'store-nightly-report'],
    ['StatefulSet', 'store-ledger'],
  ])('the store example: %s %s', (kind, name) => {
    const found = synthExamples().filter((o) => o.kind === kind && (o.metadata.name === name || o.metadata.name.startsWith(`${name}-c8`)));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchSnapshot();
  });

  test('`cdk8s synth --no-check-upgrade` (the README command) writes one YAML file per example chart, offline', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'safe-pods-synth-'));
    const root = path.join(__dirname, '..');
    const r = spawnSync(path.join(root, 'node_modules', '.bin', 'cdk8s'), ['synth', '--no-check-upgrade', '--output', out], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' },
    });
    try {
      expect(r.stderr + r.stdout).not.toMatch(/error/i);
      expect(r.status).toBe(0);
      expect(fs.readdirSync(out).sort()).toContain('web.k8s.yaml');
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('the graceful-shutdown excerpt of docs/hooks.md', () => {
  test('every line of the excerpt appears in the synthesized example, in order', () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', 'docs', 'hooks.md'), 'utf8');
    const excerpt = /## Example: graceful shutdown[\s\S]*?```yaml\n([\s\S]*?)```/
      .exec(readme)![1]
      .split('\n')
      .filter((l) => l.trim() !== '');
    const app = buildExamples(Testing.app());
    const yaml = app.synthYaml();
    const doc = yaml.split(/^---$/m).find((d) => d.includes('name: graceful-checkout'))!;
    const lines = doc.split('\n');
    let at = 0;
    for (const line of excerpt) {
      const found = lines.findIndex((l, i) => i >= at && l.trim() === line.trim());
      expect({ line, found: found >= 0 }).toEqual({ line, found: true });
      at = found + 1;
    }
  });
});
