import { App, Chart, Testing } from 'cdk8s';
import { admissionPolicies } from '../../src/admission/policies';
import { SafePodsAdmissionPolicies } from '../../src/constructs/admission-policies';
import { SafePodsSettings } from '../../src/constructs/settings';
import { KubernetesVersion } from '../../src/k8s/version';
import { Severity } from '../../src/rules/types';

describe('SafePodsAdmissionPolicies', () => {
  test('synthesizes the objects admissionPolicies() returns for the same settings, each policy followed by its binding', () => {
    // GIVEN
    const chart = Testing.chart();
    const props = {
      kubernetesVersion: KubernetesVersion.V1_32,
      requireDigest: true,
      audit: true,
      disabledRules: ['image-floating-tag'],
      severities: { 'env-duplicate-name': Severity.WARNING },
    };
    // WHEN
    const construct = new SafePodsAdmissionPolicies(chart, 'safe-pods', props);
    // THEN (every synthesized object is also validated with kubernetes-models by the jest setup)
    expect(Testing.synth(chart)).toEqual(JSON.parse(JSON.stringify(admissionPolicies(props).objects)));
    expect(construct.policies.length).toBe(construct.bindings.length);
    expect(SafePodsAdmissionPolicies.isSafePodsAdmissionPolicies(construct)).toBe(true);
    expect(SafePodsAdmissionPolicies.isSafePodsAdmissionPolicies(chart)).toBe(false);
  });

  test('takes the version and strict mode from SafePodsSettings when its props do not give them', () => {
    const app = Testing.app();
    SafePodsSettings.set(app, { kubernetesVersion: KubernetesVersion.V1_33, requireDigest: true });
    const chart = new Chart(app, 'bootstrap');
    new SafePodsAdmissionPolicies(chart, 'safe-pods');
    expect(Testing.synth(chart)).toEqual(
      JSON.parse(JSON.stringify(admissionPolicies({ kubernetesVersion: KubernetesVersion.V1_33, requireDigest: true }).objects)),
    );
  });

  test('never writes metadata.namespace: policies and bindings are cluster-scoped', () => {
    const chart = new Chart(Testing.app(), 'bootstrap', { namespace: 'platform' });
    new SafePodsAdmissionPolicies(chart, 'safe-pods', { kubernetesVersion: KubernetesVersion.V1_30 });
    for (const o of Testing.synth(chart)) expect(o.metadata.namespace).toBeUndefined();
  });

  test('takes the rule settings from SafePodsSettings (and so from the config file); its props win over them', () => {
    const app = Testing.app();
    SafePodsSettings.set(app, {
      kubernetesVersion: KubernetesVersion.V1_31,
      configFile: false,
      rules: { 'image-floating-tag': 'off', 'env-duplicate-name': Severity.WARNING, 'lifecycle-host-set': Severity.ERROR },
    });
    const chart = new Chart(app, 'bootstrap');
    new SafePodsAdmissionPolicies(chart, 'safe-pods', { severities: { 'lifecycle-host-set': Severity.WARNING } });
    const ruleSettings = new Map<string, Severity | 'off'>([
      ['image-floating-tag', 'off'],
      ['env-duplicate-name', Severity.WARNING],
    ]);
    expect(Testing.synth(chart)).toEqual(
      JSON.parse(
        JSON.stringify(
          admissionPolicies({ kubernetesVersion: KubernetesVersion.V1_31, ruleSettings, severities: { 'lifecycle-host-set': Severity.WARNING } })
            .objects,
        ),
      ),
    );
    const bindings = Testing.synth(chart).filter((o) => o.kind === 'ValidatingAdmissionPolicyBinding');
    const actions = (rule: string): unknown => bindings.find((b) => b.metadata.name.startsWith(`${rule}.`))?.spec.validationActions;
    expect(actions('image-floating-tag')).toBeUndefined();
    expect(actions('env-duplicate-name')).toEqual(['Warn']);
    expect(actions('lifecycle-host-set')).toEqual(['Warn']);
  });

  test('refuses a target before 1.30 from SafePodsSettings, naming the construct and the fix', () => {
    const app = new App();
    // without the repository's config file (which targets 1.30), the library default 1.27 is in force
    SafePodsSettings.set(app, { configFile: false });
    const chart = new Chart(app, 'bootstrap');
    expect(() => new SafePodsAdmissionPolicies(chart, 'safe-pods')).toThrow(
      /SafePodsAdmissionPolicies "bootstrap\/safe-pods": the Kubernetes version in force is 1\.27, but ValidatingAdmissionPolicy needs 1\.30 or newer; set kubernetesVersion/,
    );
    expect(() => new SafePodsAdmissionPolicies(chart, 'other', { kubernetesVersion: KubernetesVersion.V1_29 })).toThrow(
      /needs Kubernetes 1\.30 or newer/,
    );
  });
});
