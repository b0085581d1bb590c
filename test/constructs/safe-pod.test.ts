import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { SafePod } from '../../src/constructs/safe-pod';
import { DEFAULTS } from '../../src/defaults';
import { validateWithKubernetesModels } from '../support/kubernetes-models';

describe('SafePod', () => {
  test('writes an explicit imagePullPolicy and enableServiceLinks: false by default', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    new SafePod(chart, 'web', { containers: [{ image: 'nginx:1.27.3' }] });
    // THEN
    const [pod] = Testing.synth(chart);
    expect(pod.spec.containers[0].imagePullPolicy).toEqual(DEFAULTS.imagePullPolicy);
    expect(pod.spec.enableServiceLinks).toBe(DEFAULTS.enableServiceLinks);
    validateWithKubernetesModels(pod);
  });

  test('an explicit pull policy wins', () => {
    const chart = Testing.chart();
    new SafePod(chart, 'web', { containers: [{ image: 'nginx:1.27.3', imagePullPolicy: kplus.ImagePullPolicy.NEVER }] });
    expect(Testing.synth(chart)[0].spec.containers[0].imagePullPolicy).toEqual('Never');
  });

  test('containers added later get an explicit pull policy too', () => {
    const chart = Testing.chart();
    const pod = new SafePod(chart, 'web');
    pod.addContainer({ image: 'nginx:1.27.3' });
    pod.addInitContainer({ image: 'busybox:1.36.1' });
    const [json] = Testing.synth(chart);
    expect(json.spec.containers[0].imagePullPolicy).toEqual('IfNotPresent');
    expect(json.spec.initContainers[0].imagePullPolicy).toEqual('IfNotPresent');
  });

  test('a pod without containers fails validation with its path instead of a stack trace', () => {
    const chart = Testing.chart();
    new SafePod(chart, 'empty');
    expect(() => Testing.synth(chart)).toThrow(/\[test\/empty\] spec.containers is empty; a pod needs at least one container/);
  });
});
