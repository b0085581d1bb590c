/**
 * Issue 12: the judge is linear in its input. The two super-linear scans it had (the RuntimeClass name suggestion, and
 * `$(` without a closing `)`) and the other fields a hostile manifest can make long are judged at sizes 10× apart, and
 * the CPU time may grow at most 50× (a quadratic scan grows 100×). The absolute times at the sizes are measured
 * (not asserted: timing is for benchmarks) and reported in the closing note.
 * CPU time, not wall time, so a busy machine does not make this flaky.
 */
import { checkObjects } from '../../src/rules/check';
import { bestCpuMs } from '../support/cpu';

type Json = Record<string, unknown>;

function pod(container: Json, spec: Json = {}): Json {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p' },
    spec: { enableServiceLinks: false, containers: [{ name: 'a', image: 'nginx:1.27.3', imagePullPolicy: 'IfNotPresent', ...container }], ...spec },
  };
}

/** CPU milliseconds of judging `object` (the best of five). */
function cpuMs(object: Json): number {
  return bestCpuMs(() => checkObjects([object]));
}

const HOSTILE: ReadonlyArray<readonly [string, (n: number) => Json]> = [
  ['`$(` repeated in an env value', (n) => pod({ env: [{ name: 'A', value: '$('.repeat(n) }] })],
  ['`$(` repeated in a shell script', (n) => pod({ command: ['sh', '-c', `echo ${'$('.repeat(n)}`] })],
  ['a runtimeClassName of separators around one upper-case letter', (n) => pod({}, { runtimeClassName: `${'_'.repeat(n)}A${'-'.repeat(n)}` })],
  ['a runtimeClassName of many labels', (n) => pod({}, { runtimeClassName: `${'a.'.repeat(n)}-` })],
  ['an image of many path components', (n) => pod({ image: `${'a/'.repeat(n)}A` })],
  ['an image of many dashes', (n) => pod({ image: `${'a-'.repeat(n)}!` })],
  ['a container name of many dashes', (n) => pod({ name: `${'a-'.repeat(n)}!` })],
  ['a postStart script of many sleeps', (n) => pod({ lifecycle: { postStart: { exec: { command: ['sh', '-c', 'sleep 1;'.repeat(n)] } } } })],
];

describe('the judge is linear in a hostile field', () => {
  test.each(HOSTILE)('%s', (_what, make) => {
    cpuMs(make(1_000)); // warm up
    const small = cpuMs(make(10_000));
    const large = cpuMs(make(100_000));
    expect(large).toBeLessThan(50 * Math.max(small, 1));
  });
});
