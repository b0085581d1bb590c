import { KubernetesVersion } from '../../src/k8s/version';
import { RULES } from '../../src/rules/catalogue';
import {
  IMAGE_DIGEST_REQUIRED_RULE,
  IMAGE_FLOATING_TAG_RULE,
  IMAGE_INVALID_RULE,
  IMAGE_MISSING_RULE,
  IMAGE_NOT_PINNED_RULE,
  IMAGE_PULL_POLICY_INVALID_RULE,
  IMAGE_PULL_POLICY_MISSING_RULE,
  IMAGE_RULES,
  IMAGE_WHITESPACE_RULE,
} from '../../src/rules/image';
import { judgeSubject } from '../../src/rules/judge';
import { SUPPRESS_ANNOTATION_PREFIX } from '../../src/rules/suppressions';
import type { ContainerJson, PodSpecJson } from '../../src/k8s/shapes';
import type { JudgeContext, PodSubject } from '../../src/rules/types';
import { subjectsOf } from '../../src/rules/normalize';
import { podSubject } from '../support/subjects';

import { Severity } from '../../src/rules/types';

const HEX64 = 'dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c';
const CTX: JudgeContext = { kubernetesVersion: KubernetesVersion.V1_27, requireDigest: false };
const STRICT: JudgeContext = { ...CTX, requireDigest: true };

function pod(containers: ContainerJson[], extra: { annotations?: Record<string, string>; podSpec?: PodSpecJson } = {}): PodSubject {
  return podSubject(extra.podSpec ?? { containers }, { annotations: extra.annotations });
}
function deployment(containers: ContainerJson[]): PodSubject {
  return podSubject({ containers }, { kind: 'Deployment' });
}
/** A container "main"; `imagePullPolicy` null leaves the field out. */
function main(image: string | undefined, imagePullPolicy: string | null = 'IfNotPresent'): ContainerJson {
  return { name: 'main', image, ...(imagePullPolicy === null ? {} : { imagePullPolicy }) };
}

describe('the image rules', () => {
  test('are in the catalogue with stable kebab-case ids', () => {
    expect(IMAGE_RULES.map((r) => r.id)).toEqual([
      'image-missing',
      'image-whitespace',
      'image-invalid',
      'image-not-pinned',
      'image-floating-tag',
      'image-digest-required',
      'image-pull-policy-missing',
      'image-pull-policy-invalid',
      'image-mutable-tag-pull-policy',
    ]);
    for (const r of IMAGE_RULES) expect(RULES).toContain(r);
  });

  test('a pinned image with a pull policy passes every rule, in strict mode too', () => {
    expect(judgeSubject(pod([main('nginx:1.27.3')]), CTX, RULES)).toEqual([]);
    expect(judgeSubject(pod([main(`nginx:1.27.3@sha256:${HEX64}`)]), STRICT, RULES)).toEqual([]);
  });

  test('messages are one sentence without a trailing period and start with the container', () => {
    const findings = judgeSubject(pod([main('nginx', null), main(' x'), main('nginx:stable'), main('Bad:-1', 'always')]), STRICT, RULES);
    expect(findings.length).toBeGreaterThan(4);
    for (const f of findings) {
      expect(f.message).toMatch(/^container "main": /);
      expect(f.message).not.toMatch(/\.$/);
    }
  });
});

describe('image-missing', () => {
  test('fires for an absent or empty image', () => {
    expect(IMAGE_MISSING_RULE.check(pod([main(undefined)]), CTX)).toEqual([
      {
        message: 'container "main": has no image (Required value), which the API server refuses; set a pinned image, e.g. "nginx:1.27.3"',
        field: 'spec.containers[0].image',
        container: 'main',
      },
    ]);
    expect(IMAGE_MISSING_RULE.check(deployment([main('')]), CTX)[0].field).toBe('spec.template.spec.containers[0].image');
  });

  test('does not fire for any non-empty image, and the other image rules stay quiet', () => {
    expect(IMAGE_MISSING_RULE.check(pod([main('nginx')]), CTX)).toEqual([]);
    expect(judgeSubject(pod([main(undefined)]), CTX, IMAGE_RULES).map((f) => f.rule)).toEqual(['image-missing']);
  });
});

describe('image-whitespace', () => {
  test('fires for leading or trailing whitespace on a Pod', () => {
    const [f] = IMAGE_WHITESPACE_RULE.check(pod([main(' nginx:1.27.3')]), CTX);
    expect(f.message).toBe(
      'container "main": image " nginx:1.27.3" has leading or trailing whitespace, which the API server refuses for Pods; remove it, e.g. "nginx:1.27.3"',
    );
    expect(judgeSubject(pod([main('nginx:1.27.3\n')]), CTX, IMAGE_RULES).map((f) => f.rule)).toEqual(['image-whitespace']);
  });

  test('does not fire for templates, which the API server does not check, where image-invalid fires instead', () => {
    const subject = deployment([main(' nginx:1.27.3')]);
    expect(IMAGE_WHITESPACE_RULE.check(subject, CTX)).toEqual([]);
    expect(judgeSubject(subject, CTX, IMAGE_RULES).map((f) => f.rule)).toEqual(['image-invalid']);
  });

  test('does not fire for whitespace inside the reference (image-invalid does)', () => {
    const subject = pod([main('ng inx:1')]);
    expect(IMAGE_WHITESPACE_RULE.check(subject, CTX)).toEqual([]);
    expect(IMAGE_INVALID_RULE.check(subject, CTX)[0].message).toMatch(/contains whitespace/);
  });
});

describe('image-invalid', () => {
  test('names the broken rule, the version and the kubelet failure', () => {
    expect(IMAGE_INVALID_RULE.check(pod([main('nginx:-1')]), CTX)).toEqual([
      {
        message:
          'container "main": image "nginx:-1" is not a valid image reference for Kubernetes 1.27: the tag "-1" must start with a letter, digit or "_" ' +
          'and contain only letters, digits, "_", "." and "-"; the API server accepts it, but the kubelet fails the container with InvalidImageName',
        field: 'spec.containers[0].image',
        container: 'main',
      },
    ]);
  });

  test('follows the target version: an IPv6 registry is invalid for 1.27 and valid for 1.29', () => {
    const subject = pod([main('[fd00::1]:5000/app:1.0')]);
    expect(IMAGE_INVALID_RULE.check(subject, CTX)[0].message).toMatch(/IPv6 address.*target Kubernetes 1\.29 or newer/);
    expect(IMAGE_INVALID_RULE.check(subject, { ...CTX, kubernetesVersion: KubernetesVersion.V1_29 })).toEqual([]);
  });

  test('does not fire for valid references and silences the pinning rules for invalid ones', () => {
    expect(IMAGE_INVALID_RULE.check(pod([main('nginx:1.27.3')]), CTX)).toEqual([]);
    expect(judgeSubject(pod([main('NGINX')]), STRICT, IMAGE_RULES).map((f) => f.rule)).toEqual(['image-invalid']);
  });
});

describe('image-not-pinned', () => {
  test('fires for the tag latest with the style-guide message', () => {
    expect(IMAGE_NOT_PINNED_RULE.check(pod([main('nginx:latest', 'Always')]), CTX)).toEqual([
      {
        message:
          'container "main": image "nginx:latest" uses the mutable tag "latest"; pin a version tag or a digest, e.g. "nginx:<version>" or "nginx@sha256:<digest>"',
        field: 'spec.containers[0].image',
        container: 'main',
      },
    ]);
  });

  test('fires for an untagged image and explains registry:port', () => {
    const [f] = IMAGE_NOT_PINNED_RULE.check(pod([main('registry:5000/app')]), CTX);
    expect(f.message).toMatch(
      /^container "main": image "registry:5000\/app" has no tag \("registry:5000" is the registry host and port, not a tag\)/,
    );
  });

  test('fires for init and ephemeral containers with their own field path', () => {
    const subject = pod([], {
      podSpec: { initContainers: [{ name: 'init', image: 'busybox' }], ephemeralContainers: [{ name: 'debug', image: 'busybox' }] },
    });
    expect(IMAGE_NOT_PINNED_RULE.check(subject, CTX).map((f) => [f.field, f.message.split(':')[0]])).toEqual([
      ['spec.initContainers[0].image', 'init container "init"'],
      ['spec.ephemeralContainers[0].image', 'ephemeral container "debug"'],
    ]);
  });

  test('does not fire for a version tag or a digest (even next to latest)', () => {
    expect(IMAGE_NOT_PINNED_RULE.check(pod([main('nginx:1.27.3'), main(`nginx:latest@sha256:${HEX64}`)]), CTX)).toEqual([]);
  });

  test('a suppression for one container allows its mutable tag and keeps the others', () => {
    const subject = pod([main('nginx:latest', 'Always'), { name: 'side', image: 'envoy:latest', imagePullPolicy: 'Always' }], {
      annotations: { [`${SUPPRESS_ANNOTATION_PREFIX}image-not-pinned.main`]: 'kind cluster, rebuilt on every run' },
    });
    expect(judgeSubject(subject, CTX, RULES).map((f) => [f.rule, f.container])).toEqual([['image-not-pinned', 'side']]);
  });
});

describe('image-floating-tag', () => {
  test('warns for a conventionally floating tag', () => {
    const findings = judgeSubject(pod([main('nginx:stable')]), CTX, RULES);
    expect(findings.map((f) => [f.rule, f.severity])).toEqual([['image-floating-tag', Severity.WARNING]]);
    expect(findings[0].message).toBe(
      'container "main": image "nginx:stable" uses the tag "stable", which is conventionally moved to new builds; ' +
        'pin a version tag or a digest, e.g. "nginx:<version>" or "nginx@sha256:<digest>"',
    );
  });

  test('does not warn for a version tag or a floating tag with a digest', () => {
    expect(IMAGE_FLOATING_TAG_RULE.check(pod([main('nginx:1.27'), main(`nginx:stable@sha256:${HEX64}`)]), CTX)).toEqual([]);
  });
});

describe('image-digest-required', () => {
  test('fires only in strict mode, for images without a digest', () => {
    expect(IMAGE_DIGEST_REQUIRED_RULE.check(pod([main('nginx:1.27.3')]), CTX)).toEqual([]);
    expect(IMAGE_DIGEST_REQUIRED_RULE.check(pod([main('nginx:1.27.3')]), STRICT)).toEqual([
      {
        message:
          'container "main": image "nginx:1.27.3" has no digest, and digests are required (requireDigest); pin it by digest, e.g. "nginx:1.27.3@sha256:<digest>"',
        field: 'spec.containers[0].image',
        container: 'main',
      },
    ]);
    expect(IMAGE_DIGEST_REQUIRED_RULE.check(pod([main(`nginx@sha256:${HEX64}`)]), STRICT)).toEqual([]);
  });
});

describe('image-pull-policy-missing', () => {
  test('says what Kubernetes would default to for the target version', () => {
    expect(IMAGE_PULL_POLICY_MISSING_RULE.check(pod([main('nginx', null)]), CTX)).toEqual([
      {
        message:
          'container "main": imagePullPolicy is not set, so Kubernetes 1.27 defaults it to "Always" for image "nginx"; set it explicitly, e.g. "Always"',
        field: 'spec.containers[0].imagePullPolicy',
        container: 'main',
      },
    ]);
    expect(IMAGE_PULL_POLICY_MISSING_RULE.check(pod([main('nginx:1.27.3', null)]), CTX)[0].message).toMatch(
      /defaults it to "IfNotPresent" for image "nginx:1\.27\.3"; set it explicitly, e.g. "IfNotPresent"$/,
    );
    const ipv6 = pod([main('[::1]:5000/app', null)]);
    expect(IMAGE_PULL_POLICY_MISSING_RULE.check(ipv6, CTX)[0].message).toMatch(/1\.27 defaults it to "IfNotPresent"/);
    expect(IMAGE_PULL_POLICY_MISSING_RULE.check(ipv6, { ...CTX, kubernetesVersion: KubernetesVersion.V1_30 })[0].message).toMatch(
      /1\.30 defaults it to "Always"/,
    );
  });

  test('does not fire when the policy is set', () => {
    expect(IMAGE_PULL_POLICY_MISSING_RULE.check(pod([main('nginx', 'Always')]), CTX)).toEqual([]);
  });
});

describe('image-pull-policy-invalid', () => {
  test('fires for a value the API server refuses and suggests the right case', () => {
    expect(IMAGE_PULL_POLICY_INVALID_RULE.check(pod([main('nginx:1', 'always')]), CTX)).toEqual([
      {
        message: 'container "main": imagePullPolicy "always" is not a value the API server accepts; write it as "Always"',
        field: 'spec.containers[0].imagePullPolicy',
        container: 'main',
      },
    ]);
    expect(IMAGE_PULL_POLICY_INVALID_RULE.check(pod([main('nginx:1', 'Sometimes')]), CTX)[0].message).toMatch(
      /use one of "Always", "IfNotPresent", "Never"$/,
    );
  });

  test('does not fire for Always, IfNotPresent, Never or an unset policy', () => {
    const subject = pod([main('a:1', 'Always'), main('b:1', 'IfNotPresent'), main('c:1', 'Never'), main('d:1', null)]);
    expect(IMAGE_PULL_POLICY_INVALID_RULE.check(subject, CTX)).toEqual([]);
  });
});

describe('images an OpenShift ImageChange trigger fills in', () => {
  /** A DeploymentConfig whose trigger names `triggered`; containers "first" (image "") and "second" (image " "). */
  function deploymentConfig(apiVersion: string, triggered: string[], extraTrigger: Record<string, unknown> = {}): PodSubject {
    const [subject] = subjectsOf({
      apiVersion,
      kind: 'DeploymentConfig',
      metadata: { name: 'example' },
      spec: {
        template: {
          spec: {
            containers: [
              { name: 'first', image: '', imagePullPolicy: 'IfNotPresent' },
              { name: 'second', image: ' ', imagePullPolicy: 'IfNotPresent' },
              { name: 'sidecar', image: 'busybox', imagePullPolicy: 'IfNotPresent' },
            ],
          },
        },
        triggers: [
          { type: 'ConfigChange' },
          {
            type: 'ImageChange',
            imageChangeParams: { automatic: false, containerNames: triggered, from: { kind: 'ImageStreamTag', name: 'app:latest' } },
            ...extraTrigger,
          },
        ],
      },
    });
    return subject;
  }
  const rules = (s: PodSubject): string[] => judgeSubject(s, CTX, IMAGE_RULES).map((f) => `${f.rule} ${f.container}`);

  test.each(['apps.openshift.io/v1', 'v1'])('are not judged for the containers a trigger names (%s, also with automatic: false)', (apiVersion) => {
    // the image is written from the ImageStreamTag before the first rollout: "" and " " never reach a Pod
    expect(rules(deploymentConfig(apiVersion, ['first', 'second']))).toEqual(['image-not-pinned sidecar']);
  });

  test('are judged for containers no trigger names', () => {
    expect(rules(deploymentConfig('apps.openshift.io/v1', ['second']))).toEqual(['image-missing first', 'image-not-pinned sidecar']);
  });

  test('only a trigger of type ImageChange fills in images, and only in a DeploymentConfig', () => {
    expect(rules(deploymentConfig('apps.openshift.io/v1', ['first', 'second'], { type: 'ConfigChange' }))).toEqual([
      'image-missing first',
      'image-invalid second',
      'image-not-pinned sidecar',
    ]);
    const [rollout] = subjectsOf({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: { name: 'r' },
      spec: {
        template: { spec: { containers: [{ name: 'first', image: '', imagePullPolicy: 'IfNotPresent' }] } },
        triggers: [{ type: 'ImageChange', imageChangeParams: { containerNames: ['first'] } }],
      },
    });
    expect(rules(rollout)).toEqual(['image-missing first']);
  });
});
