/**
 * Every vector file that describes a manifest-level rule runs through the CLI too: each case becomes a Pod in one
 * multi-document file, the CLI checks the file (`--format json`), and the findings of the area's rules must say
 * "invalid" exactly for the cases the vectors call invalid.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { stringify } from 'yaml';
import { runCli } from '../../src/cli/run';

type Json = Record<string, unknown>;
const VECTORS = path.join(__dirname, '..', 'fixtures', 'vectors');
const load = (name: string): Json => JSON.parse(fs.readFileSync(path.join(VECTORS, name), 'utf8'));

let dir: string;
beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'safe-pods-cli-vectors-'))));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

interface Finding {
  rule: string;
  severity: string;
  name: string;
}

/** Runs the CLI over `objects` and returns, per object name, the error rules of the given prefix. */
async function errorsByName(objects: Json[], prefix: string, version: string): Promise<Map<string, string[]>> {
  const file = path.join(dir, `${prefix}-${version}-${Math.random().toString(36).slice(2)}.yaml`);
  fs.writeFileSync(file, objects.map((o) => stringify(o)).join('---\n'));
  let out = '';
  let err = '';
  const code = await runCli(['check', '--format', 'json', '--kubernetes-version', version, file], {
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
  });
  expect(err).toEqual('');
  expect([0, 1]).toContain(code);
  const byName = new Map<string, string[]>();
  for (const f of JSON.parse(out).findings as Finding[]) {
    if (f.severity !== 'error' || !f.rule.startsWith(prefix)) continue;
    byName.set(f.name, [...(byName.get(f.name) ?? []), f.rule]);
  }
  return byName;
}

function pod(name: string, spec: Json, container: Json = {}): Json {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: {
      enableServiceLinks: false,
      ...spec,
      containers: [{ name: 'main', image: 'nginx:1.27.3', imagePullPolicy: 'IfNotPresent', ...container }],
    },
  };
}

describe('vectors through the CLI', () => {
  test.each([
    ['1.27', undefined],
    ['1.30', 'distributionReference_v0_6_plus'],
  ])('image-refs.json: image-invalid exactly for the references the grammar of %s refuses', async (version, alt) => {
    const cases = load('image-refs.json').cases as Json[];
    const valid = (c: Json): boolean => {
      const v = alt ? ((c[alt] as Json | undefined) ?? (c.distributionReference_v0_5 as Json | undefined) ?? c) : c;
      return v.valid as boolean;
    };
    const objects = cases.map((c, i) => pod(`ref-${i}`, {}, { image: c.ref }));
    const errors = await errorsByName(objects, 'image-', version);
    cases.forEach((c, i) => {
      const rules = errors.get(`ref-${i}`) ?? [];
      const refused = rules.some((r) => r === 'image-invalid' || r === 'image-whitespace' || r === 'image-missing');
      expect({ ref: c.ref, refused }).toEqual({ ref: c.ref, refused: !valid(c) });
      // a valid reference with no tag and no digest, or the tag latest, is refused as not pinned
      const unpinned = valid(c) && !c.digest && (c.tag === null || c.tag === 'latest') && !alt;
      if (unpinned) expect({ ref: c.ref, rules }).toEqual({ ref: c.ref, rules: expect.arrayContaining(['image-not-pinned']) });
    });
  });

  test.each([
    ['1.27', 'k8s_1_27'],
    ['1.30', 'k8s_1_30_to_1_32'],
    ['1.33', 'k8s_1_33_plus'],
  ])('lifecycle.json: lifecycle errors exactly for the cases the %s API server refuses', async (version, band) => {
    const cases = load('lifecycle.json').cases as Json[];
    const objects = cases.map((c) => {
      const spec: Json = { terminationGracePeriodSeconds: c.terminationGracePeriodSeconds };
      if (c.containerKind === 'containers') return pod(c.id as string, spec, { lifecycle: c.lifecycle });
      // init (optionally a sidecar) or ephemeral container carrying the hooks, next to a plain main container
      const extra: Json = { name: 'extra', image: 'busybox:1.36.1', imagePullPolicy: 'IfNotPresent', lifecycle: c.lifecycle };
      if (c.restartPolicy) extra.restartPolicy = c.restartPolicy;
      spec[c.containerKind as string] = [extra];
      return pod(c.id as string, spec);
    });
    const errors = await errorsByName(objects, 'lifecycle-', version);
    for (const c of cases) {
      const expected = (c.expected as Record<string, { valid: boolean }>)[band];
      // the API-server rules; prestop-exceeds-grace judges budgets, which the API server does not
      const apiRules = (errors.get(c.id as string) ?? []).filter((r) => r !== 'lifecycle-prestop-exceeds-grace' && r !== 'lifecycle-tcp-socket');
      expect({ id: c.id, refused: apiRules.length > 0 }).toEqual({ id: c.id, refused: !expected.valid });
    }
  });

  test.each([
    ['1.27', 'valid_strict'],
    ['1.32', 'valid_relaxed'],
  ])('env-names.json: env-name-invalid exactly for the names %s refuses', async (version, key) => {
    const names = load('env-names.json').names as Json[];
    const objects = names.map((n, i) => pod(`env-${i}`, {}, { env: [{ name: n.name, value: 'x' }] }));
    const errors = await errorsByName(objects, 'env-name', version);
    names.forEach((n, i) => {
      expect({ name: n.name, refused: errors.has(`env-${i}`) }).toEqual({ name: n.name, refused: !n[key] });
    });
  });

  test('runtimeclass.json: pod runtimeClassName syntax and the admission scenarios', async () => {
    const v = load('runtimeclass.json');
    const rcObjects: Json[] = [];
    const pods: Array<{ name: string; refused: boolean }> = [];
    const objects: Json[] = [];
    (v.podRuntimeClassName as Json[]).forEach((c, i) => {
      const name = `rcname-${i}`;
      objects.push(pod(name, { runtimeClassName: c.runtimeClassName }));
      pods.push({ name, refused: !c.valid });
      // a valid name must also exist to pass: declare it
      if (c.valid) rcObjects.push({ apiVersion: 'node.k8s.io/v1', kind: 'RuntimeClass', metadata: { name: c.runtimeClassName }, handler: 'runc' });
    });
    const first = await errorsByName([...rcObjects, ...objects], 'runtime-class-', '1.27');
    for (const p of pods) expect({ ...p, refused: first.has(p.name) }).toEqual(p);

    // each admission scenario in its own file: its RuntimeClasses and its pod
    for (const c of v.admission as Json[]) {
      const classes = ((c.runtimeClasses as Json[] | undefined) ?? []).map((rc) => ({ apiVersion: 'node.k8s.io/v1', kind: 'RuntimeClass', ...rc }));
      let target: Json;
      if (c.pod) {
        target = pod('admitted', ((c.pod as Json).spec ?? {}) as Json);
      } else {
        const templateSpec = (((c.object as Json).spec as Json).template as Json).spec as Json;
        target = {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'admitted' },
          spec: { template: { spec: pod('x', templateSpec).spec } },
        };
      }
      const errors = await errorsByName([...classes, target], 'runtime-class-', '1.27');
      const expected = c.expected as { admitted: boolean };
      // Stricter than admission, on purpose (README): a Deployment template naming a missing class creates no Pods,
      // and with the admission plugin off the kubelet leaves the Pod Pending; both are refused at synth.
      const refused = !expected.admitted || c.object !== undefined || c.admissionPluginEnabled === false;
      expect({ id: c.id, refused: errors.has('admitted') }).toEqual({ id: c.id, refused });
    }
  });
});
