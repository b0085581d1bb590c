/**
 * One synth, one judgement: `App.synth()` and `App.synthYaml()` validate the whole app once, and again for every chart
 * they write (`Chart.toJson()` validates the app). A safe construct renders and judges its pod once per such synth and
 * writes the JSON it judged; a change between two synths is judged afresh.
 */
import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { parseAllDocuments } from 'yaml';
import { SafePod } from '../../src/constructs/safe-pod';
import { SafePodsSettings, WarningMode } from '../../src/constructs/settings';

/** Counts the renders of the L1 pods (installed before the pods are built: SafePod wraps the L1's `toJson`). */
function countRenders(): jest.SpyInstance {
  return jest.spyOn(kplus.k8s.KubePod.prototype, 'toJson');
}

afterEach(() => jest.restoreAllMocks());

describe('SafePod in App.synth() and App.synthYaml()', () => {
  test('an app of three charts renders each pod once per synthYaml(), not once per validation', () => {
    const renders = countRenders();
    const app = Testing.app();
    SafePodsSettings.set(app, { warnings: WarningMode.IGNORE });
    for (const id of ['a', 'b', 'c']) new SafePod(new Chart(app, id), 'web', { containers: [{ image: 'nginx:1.27.3' }] });
    const docs = parseAllDocuments(app.synthYaml()).map((d) => d.toJS());
    expect(docs.map((d) => d.spec.containers[0].imagePullPolicy)).toEqual(['IfNotPresent', 'IfNotPresent', 'IfNotPresent']);
    expect(renders).toHaveBeenCalledTimes(3);
  });

  test('app.synth() writes every chart with one render per pod', () => {
    const renders = countRenders();
    const app = Testing.app();
    SafePodsSettings.set(app, { warnings: WarningMode.IGNORE });
    new SafePod(new Chart(app, 'a'), 'web', { containers: [{ image: 'nginx:1.27.3' }] });
    new SafePod(new Chart(app, 'b'), 'api', { containers: [{ image: 'ghcr.io/acme/api:1.0.0' }] });
    app.synth();
    expect(renders).toHaveBeenCalledTimes(2);
  });

  test('a warning is printed once per synthYaml(), however many charts validate the app', () => {
    const printed: string[] = [];
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      printed.push(String(chunk));
      return true;
    });
    const app = Testing.app();
    new SafePod(new Chart(app, 'a'), 'web', { containers: [{ image: 'nginx:stable' }] });
    new Chart(app, 'b');
    app.synthYaml();
    expect(printed.join('')).toMatch(/^cdk8s-safe-pods: 1 warning:\n {2}\[a\/web\] warning image-floating-tag: /);
    expect(printed).toHaveLength(1);
  });

  test('a pod changed between two synthYaml() calls is judged and written afresh', () => {
    const app = Testing.app();
    SafePodsSettings.set(app, { warnings: WarningMode.IGNORE });
    const pod = new SafePod(new Chart(app, 'a'), 'web', { containers: [{ image: 'nginx:1.27.3' }] });
    new Chart(app, 'b');
    app.synthYaml();
    pod.addContainer({ name: 'sidecar', image: 'envoyproxy/envoy:v1.31.2' });
    const [json] = parseAllDocuments(app.synthYaml()).map((d) => d.toJS());
    expect(json.spec.containers.map((c: { name: string }) => c.name)).toEqual(['main', 'sidecar']);
    pod.addContainer({ name: 'bad', image: 'nginx:latest' });
    expect(() => app.synthYaml()).toThrow(/error image-not-pinned: Pod "[^"]*": container "bad"/);
  });

  test('after a synthYaml() that failed, the next one judges afresh', () => {
    const app = Testing.app();
    SafePodsSettings.set(app, { warnings: WarningMode.IGNORE });
    const pod = new SafePod(new Chart(app, 'a'), 'web', { containers: [{ image: 'nginx:latest' }] });
    expect(() => app.synthYaml()).toThrow(/error image-not-pinned: /);
    expect(() => app.synthYaml()).toThrow(/error image-not-pinned: /);
    expect(pod.findings().map((f) => f.rule)).toContain('image-not-pinned');
  });

  test('a chart synthesized alone (Testing.synth) after an app synth renders afresh', () => {
    const app = Testing.app();
    SafePodsSettings.set(app, { warnings: WarningMode.IGNORE });
    const chart = new Chart(app, 'a');
    const pod = new SafePod(chart, 'web', { containers: [{ image: 'nginx:1.27.3' }] });
    app.synthYaml();
    pod.addContainer({ name: 'sidecar', image: 'envoyproxy/envoy:v1.31.2' });
    expect(Testing.synth(chart)[0].spec.containers).toHaveLength(2);
  });
});
