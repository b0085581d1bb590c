import { DEFAULTS } from '../../src/defaults';
import { KubernetesVersion } from '../../src/k8s/version';
import { IMAGE_PULL_POLICIES, ImagePullPolicy, defaultPullPolicy, isImagePullPolicy, recommendedPullPolicy } from '../../src/image/pull-policy';
import { ImageReference, ReferenceGrammar } from '../../src/image/reference';
import { GRAMMARS, IMAGE_REF_CASES, expectedVerdict, label } from './vectors';

const HEX64 = 'dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c';
const CASES = IMAGE_REF_CASES.map((c) => [label(c.ref), c] as const);

describe('defaultPullPolicy() matches SetDefaults_Container on every vector', () => {
  test.each(CASES)('Kubernetes 1.27 (the default target) defaults %s as the vector says', (_l, c) => {
    expect(defaultPullPolicy(c.ref)).toBe(c.defaultPullPolicy);
    expect(defaultPullPolicy(c.ref, { kubernetesVersion: KubernetesVersion.V1_27 })).toBe(c.defaultPullPolicy);
    expect(defaultPullPolicy(c.ref, { kubernetesVersion: KubernetesVersion.V1_28 })).toBe(c.defaultPullPolicy);
  });

  test.each(CASES)('Kubernetes 1.29+ defaults %s as distribution/reference parses it', (_l, c) => {
    const want = expectedVerdict(c, ReferenceGrammar.DISTRIBUTION_REFERENCE_V0_6).defaultPullPolicy;
    expect(defaultPullPolicy(c.ref, { kubernetesVersion: KubernetesVersion.V1_29 })).toBe(want);
    expect(defaultPullPolicy(c.ref, { kubernetesVersion: KubernetesVersion.V1_34 })).toBe(want);
  });

  for (const grammar of GRAMMARS) {
    test.each(CASES)(`${grammar} defaults %s as the vector says`, (_l, c) => {
      expect(defaultPullPolicy(c.ref, { grammar })).toBe(expectedVerdict(c, grammar).defaultPullPolicy);
    });
  }
});

describe('defaultPullPolicy() follows the tag, not the pinning', () => {
  test.each([
    ['nginx', ImagePullPolicy.ALWAYS],
    ['nginx:latest', ImagePullPolicy.ALWAYS],
    [`nginx:latest@sha256:${HEX64}`, ImagePullPolicy.ALWAYS],
    [`nginx@sha256:${HEX64}`, ImagePullPolicy.IF_NOT_PRESENT],
    ['nginx:LATEST', ImagePullPolicy.IF_NOT_PRESENT],
    ['nginx:stable', ImagePullPolicy.IF_NOT_PRESENT],
    ['registry:5000/app', ImagePullPolicy.ALWAYS],
    ['localhost:5000', ImagePullPolicy.IF_NOT_PRESENT],
    ['Not A Reference', ImagePullPolicy.IF_NOT_PRESENT],
    ['', ImagePullPolicy.IF_NOT_PRESENT],
  ])('%j defaults to %s', (image, policy) => {
    expect(defaultPullPolicy(image)).toBe(policy);
  });
});

describe('pull policy values', () => {
  test('only Always, IfNotPresent and Never are accepted, case-sensitively', () => {
    expect(IMAGE_PULL_POLICIES).toEqual(['Always', 'IfNotPresent', 'Never']);
    expect(isImagePullPolicy('IfNotPresent')).toBe(true);
    expect(isImagePullPolicy('ifnotpresent')).toBe(false);
    expect(isImagePullPolicy('')).toBe(false);
    expect(isImagePullPolicy(undefined)).toBe(false);
  });

  test('recommendedPullPolicy() is DEFAULTS.imagePullPolicy for pinned images and DEFAULTS.mutableTagPullPolicy for mutable tags', () => {
    expect(recommendedPullPolicy(ImageReference.parse('nginx:1.27.3'))).toBe(DEFAULTS.imagePullPolicy);
    expect(recommendedPullPolicy(ImageReference.parse(`nginx:latest@sha256:${HEX64}`))).toBe(DEFAULTS.imagePullPolicy);
    expect(recommendedPullPolicy(ImageReference.parse('nginx'))).toBe(DEFAULTS.mutableTagPullPolicy);
    expect(recommendedPullPolicy(ImageReference.parse('nginx:latest'))).toBe(DEFAULTS.mutableTagPullPolicy);
    expect(recommendedPullPolicy(ImageReference.parse('nginx:stable'))).toBe(DEFAULTS.mutableTagPullPolicy);
    expect(recommendedPullPolicy(ImageReference.parse('nginx:v2'), { floatingTags: ['v2'] })).toBe(DEFAULTS.mutableTagPullPolicy);
    expect(recommendedPullPolicy(ImageReference.parse('nginx:v2'))).toBe(DEFAULTS.imagePullPolicy);
  });
});
