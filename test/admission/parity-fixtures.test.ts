/**
 * Parity on the repository's own objects: every pod-shaped object of `test/fixtures/**` (bad manifests, the JSON
 * vectors, and the real-world corpus when present) and pods built from the vectors' inputs, judged by the judge and by
 * the generated policies evaluated with `@bufbuild/cel`, for every target version export supports.
 */
import { KubernetesVersion } from '../../src/k8s/version';
import { corpus } from './corpus';
import { compare, Tally } from './parity';

const VERSIONS = [KubernetesVersion.V1_30, KubernetesVersion.V1_31, KubernetesVersion.V1_32, KubernetesVersion.V1_33, KubernetesVersion.V1_34];
const CORPUS = corpus();
const tally = new Tally();

afterAll(() => {
  // the numbers the docs and the issue report quote
  console.log(tally.summary(`fixtures and vectors (${CORPUS.length} objects x ${VERSIONS.length} versions, + strict mode)`));
});

describe('the policies and the judge, on every pod-shaped fixture and vector', () => {
  test('the corpus has objects from the bad manifests and from every vector file', () => {
    const origins = CORPUS.map((c) => c.origin);
    for (const source of ['bad-manifests/', 'image-refs.json', 'lifecycle.json', 'env-names.json', 'runtimeclass.json']) {
      expect(origins.some((o) => o.includes(source))).toBe(true);
    }
    expect(origins.some((o) => o.includes('registry:5000') || o.includes('deployment-registry-port'))).toBe(true);
  });

  test.each(VERSIONS.map((v) => [String(v), v] as const))('agree on every rule, or differ only as listed, for Kubernetes %s', (label, version) => {
    const failures: string[] = [];
    for (const { origin, object } of CORPUS)
      failures.push(...tally.add(origin, label, compare(object, { kubernetesVersion: version, requireDigest: false })));
    expect(failures).toEqual([]);
  });

  test('agree in strict mode (requireDigest), where image-digest-required is exported', () => {
    const failures: string[] = [];
    for (const { origin, object } of CORPUS) {
      failures.push(...tally.add(origin, '1.31 strict', compare(object, { kubernetesVersion: KubernetesVersion.V1_31, requireDigest: true })));
    }
    expect(failures).toEqual([]);
    expect(tally.firing.get('image-digest-required') ?? 0).toBeGreaterThan(0);
  });

  test('refuse the untagged registry:5000/app image of the bad manifests, naming the container', () => {
    const registryPort = CORPUS.find((c) => c.origin.startsWith('bad-manifests/deployment-registry-port'))!;
    const c = compare(registryPort.object, { kubernetesVersion: KubernetesVersion.V1_30, requireDigest: false });
    expect(c.admitted).toBe(true);
    if (!c.admitted) return;
    const pinned = c.rules.find((r) => r.rule === 'image-not-pinned')!;
    expect(pinned.cel.error).toBe(true);
    expect(pinned.message).toMatch(/^\[image-not-pinned\] container "[^"]+": image "registry:5000\/[^"]*" has no tag/);
  });
});
