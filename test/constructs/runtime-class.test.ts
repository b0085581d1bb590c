import { App, Chart, Testing } from 'cdk8s';
import { RuntimeClass } from '../../src/constructs/runtime-class';
import { DEFAULTS } from '../../src/defaults';
import { ManifestError } from '../../src/k8s/errors';
import { TaintEffect, TolerationOperator } from '../../src/k8s/tolerations';

describe('RuntimeClass', () => {
  test('synthesizes a node.k8s.io/v1 RuntimeClass with handler, overhead and scheduling', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    new RuntimeClass(chart, 'kata', {
      metadata: { name: 'kata.fc' },
      handler: 'kata-fc',
      overhead: { podFixed: { cpu: '250m', memory: '120Mi' } },
      scheduling: {
        nodeSelector: { 'katacontainers.io/kata-runtime': 'true' },
        tolerations: [{ key: 'kata', operator: TolerationOperator.EXISTS, effect: TaintEffect.NO_SCHEDULE }],
      },
    });
    // THEN
    const [rc] = Testing.synth(chart);
    expect(rc).toEqual({
      apiVersion: 'node.k8s.io/v1',
      kind: 'RuntimeClass',
      metadata: { name: 'kata.fc' },
      handler: 'kata-fc',
      overhead: { podFixed: { cpu: '250m', memory: '120Mi' } },
      scheduling: {
        nodeSelector: { 'katacontainers.io/kata-runtime': 'true' },
        tolerations: [{ key: 'kata', operator: 'Exists', effect: 'NoSchedule' }],
      },
    });
  });

  test('never carries metadata.namespace, also in a chart with a namespace', () => {
    const plain = Testing.chart();
    new RuntimeClass(plain, 'rc', { metadata: { name: 'gvisor' }, handler: 'runsc' });
    expect(Testing.synth(plain)[0].metadata).toEqual({ name: 'gvisor' });

    const app = Testing.app();
    const namespaced = new Chart(app, 'prod', { namespace: 'prod' });
    new RuntimeClass(namespaced, 'rc', { metadata: { name: 'gvisor' }, handler: 'runsc' });
    expect(Testing.synth(namespaced)[0].metadata).toEqual({ name: 'gvisor' });
  });

  test('rejects an explicit namespace', () => {
    expect(() => new RuntimeClass(Testing.chart(), 'rc', { metadata: { name: 'gvisor', namespace: 'x' }, handler: 'runsc' })).toThrow(
      /metadata\.namespace "x" is invalid \(not allowed on this type\); remove the namespace: RuntimeClass is cluster-scoped/,
    );
  });

  test.each<[string, string, RegExp]>([
    ['a dot', 'kata.fc', /handler "kata\.fc" is invalid \(must not contain dots\); .* e\.g\. "kata-fc"/],
    ['upper case', 'Runc', /handler "Runc" is invalid \(a lowercase RFC 1123 label must consist of/],
    ['nothing', '', /handler "" is invalid/],
  ])('rejects a handler with %s, naming the construct path, field, value, rule and fix', (_why, handler, message) => {
    const chart = Testing.chart();
    let err: unknown;
    try {
      new RuntimeClass(chart, 'rc', { metadata: { name: 'x' }, handler });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ManifestError);
    expect((err as ManifestError).field).toBe('handler');
    expect((err as ManifestError).message).toMatch(/^RuntimeClass "test\/rc": /);
    expect((err as ManifestError).message).toMatch(message);
    expect((err as ManifestError).message).not.toMatch(/\.$/);
  });

  test('rejects invalid overhead quantities and resource names', () => {
    const mk = (podFixed: Record<string, string>) => () => new RuntimeClass(Testing.chart(), 'rc', { handler: 'runsc', overhead: { podFixed } });
    expect(mk({ cpu: '-1' })).toThrow(/overhead\.podFixed\[cpu\] "-1" is invalid \(must be greater than or equal to 0\)/);
    expect(mk({ memory: '512mi' })).toThrow(/overhead\.podFixed\[memory\] "512mi" is invalid \(unable to parse quantity's suffix\)/);
    expect(mk({ pods: '1' })).toThrow(/overhead\.podFixed\[pods\] "pods" is invalid \(must be a standard resource for containers\)/);
  });

  test('rejects invalid scheduling: a bad node selector key and a bad toleration', () => {
    expect(() => new RuntimeClass(Testing.chart(), 'rc', { handler: 'runsc', scheduling: { nodeSelector: { 'bad key': 'x' } } })).toThrow(
      /scheduling\.nodeSelector "bad key" is invalid/,
    );
    expect(
      () =>
        new RuntimeClass(Testing.chart(), 'rc', {
          handler: 'runsc',
          scheduling: { tolerations: [{ key: 'k', effect: TaintEffect.NO_SCHEDULE, tolerationSeconds: 5 }] },
        }),
    ).toThrow(/scheduling\.tolerations\[0\]\.effect "NoSchedule" is invalid \(effect must be 'NoExecute' when `tolerationSeconds` is set\)/);
  });

  test('gives its facts for the judge, with canonical overhead quantities', () => {
    const rc = new RuntimeClass(Testing.chart(), 'rc', { metadata: { name: 'kata' }, handler: 'kata', overhead: { podFixed: { cpu: '0.25' } } });
    expect(rc.facts()).toEqual({ name: 'kata', handler: 'kata', podFixedOverhead: { cpu: '250m' }, nodeSelector: undefined, tolerations: undefined });
  });

  test('uses the generated object name when none is given', () => {
    const chart = Testing.chart();
    const rc = new RuntimeClass(chart, 'sandbox', { handler: 'runsc' });
    expect(Testing.synth(chart)[0].metadata.name).toBe(rc.name);
    expect(rc.name).toMatch(/^test-sandbox-/);
  });

  test('is recognised by isRuntimeClass and listed by allIn and knownIn', () => {
    const app = Testing.app();
    const a = new Chart(app, 'a');
    const b = new Chart(app, 'b');
    const g = RuntimeClass.gvisor(a, 'g');
    const k = RuntimeClass.kataQemu(b, 'k');
    const external = RuntimeClass.fromName('gke-sandbox');
    expect(RuntimeClass.isRuntimeClass(g)).toBe(true);
    expect(RuntimeClass.isRuntimeClass(external)).toBe(false);
    expect(RuntimeClass.allIn(app)).toEqual([g, k]);
    expect(RuntimeClass.allIn(b)).toEqual([k]);
    expect([...RuntimeClass.knownIn(app, external).keys()]).toEqual(['gvisor', 'kata-qemu', 'gke-sandbox']);
  });

  test('presets write exactly the values in DEFAULTS', () => {
    const chart = Testing.chart();
    RuntimeClass.gvisor(chart, 'g');
    RuntimeClass.kataQemu(chart, 'k');
    const [g, k] = Testing.synth(chart);
    expect(g).toMatchObject({ metadata: { name: DEFAULTS.gvisorRuntimeClass.name }, handler: DEFAULTS.gvisorRuntimeClass.handler });
    expect(g.overhead).toBeUndefined();
    expect(k).toMatchObject({
      metadata: { name: 'kata-qemu' },
      handler: 'kata-qemu',
      overhead: { podFixed: { memory: '160Mi', cpu: '250m' } },
      scheduling: { nodeSelector: { 'katacontainers.io/kata-runtime': 'true' } },
    });
    expect(k.overhead.podFixed).toEqual(DEFAULTS.kataQemuRuntimeClass.podFixed);
  });

  test('fromName validates the name and refers to a class the app does not define', () => {
    const ref = RuntimeClass.fromName('gvisor', { handler: 'gvisor' });
    expect(ref.name).toBe('gvisor');
    expect(ref.facts()).toEqual({ name: 'gvisor', handler: 'gvisor' });
    expect(() => RuntimeClass.fromName('')).toThrow(/RuntimeClass\.fromName\(""\): "" is not a valid RuntimeClass name \(the name is empty\)/);
    expect(() => RuntimeClass.fromName('Kata')).toThrow(ManifestError);
  });

  test('two classes with the same name fail validation at synth', () => {
    const app = new App({ outdir: Testing.app().outdir });
    const chart = new Chart(app, 'c');
    RuntimeClass.gvisor(chart, 'one');
    RuntimeClass.gvisor(chart, 'two');
    expect(() => app.synth()).toThrow(/RuntimeClass "gvisor" is defined 2 times \("c\/one", "c\/two"\)/);
  });
});
