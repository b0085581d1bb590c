/**
 * fast-check generators of pod-shaped objects for the parity tests: images from a grammar that covers registries
 * (ports, IPv6, upper case), paths, tags (latest in any case, floating, invalid), digests (valid, short, upper-case,
 * unsupported) and white space; env lists (invalid, relaxed-only and duplicate names, valueFrom shapes, downward-API
 * paths and divisors); hooks (every handler, timeout wrappers with every option form, exec and shell sleeps, ports,
 * hosts, schemes, headers); suppressions at every metadata level, with and without a reason; every pod kind. Every
 * object has the JSON types the API server decodes.
 */
import * as fc from 'fast-check';
import { POD_KINDS } from '../../src/admission/subject';
import { HOOK_BUDGETS_ANNOTATION } from '../../src/hooks/budget';
import { SUPPRESS_ANNOTATION_PREFIX } from '../../src/rules/suppressions';
import { RULE_CATALOGUE } from '../../src/rules/catalogue';

const HEX = '0123456789abcdef';
const hex = (n: number): string => HEX.repeat(Math.ceil(n / 16)).slice(0, n);

/** Parts of a reference: mostly valid ones, so most images have at most one fault. */
const REGISTRIES = {
  ok: [
    '',
    '',
    'docker.io/',
    'index.docker.io/',
    'localhost/',
    'localhost:5000/',
    'registry:5000/',
    'ghcr.io/',
    'Registry.Example.COM/',
    '[::1]:5000/',
    '[fe80::1]/',
    'my_registry.com/',
    '10.0.0.1:443/',
    'UPPER/',
  ],
  bad: ['x:y/', 'a-.b/', '-a.b/', '[::1/'],
};
const PATHS = {
  ok: ['nginx', 'nginx', 'library/nginx', 'acme/app', 'a/b/c', 'a__b', 'a--b', 'a_b', 'a.b', 'x'.repeat(250), 'sha256', 'localhost'],
  bad: ['App', 'a..b', 'a-', '', 'é', 'a//b', 'x'.repeat(256), 'a___b'],
};
const TAGS = {
  ok: [
    '',
    ':1.27.3',
    ':1.27.3',
    ':1.27-alpine',
    ':latest',
    ':LATEST',
    ':Latest',
    ':stable',
    ':Main',
    ':nightly',
    ':alpine',
    ':stable-alpine',
    ':lts-slim',
    ':v1',
    ':_x',
    `:${'x'.repeat(128)}`,
  ],
  bad: [':-bad', ':', `:${'x'.repeat(129)}`, ':a:b', ':.x'],
};
const DIGESTS = {
  ok: ['', '', '', `@sha256:${hex(64)}`, `@sha384:${hex(96)}`, `@sha512:${hex(128)}`],
  bad: [`@sha256:${hex(63)}`, `@sha256:${hex(64).toUpperCase()}`, `@md5:${hex(32)}`, `@SHA256:${hex(64)}`, '@', '@sha256:', `@sha256:${hex(65)}`],
};
const EDGES = { ok: [''], bad: [' ', '\t', '\u00a0', '\u0085', '\ufeff', '\n'] };

function part(p: { ok: readonly string[]; bad: readonly string[] }, weight = 8): fc.Arbitrary<string> {
  return fc.oneof({ weight, arbitrary: fc.constantFrom(...p.ok) }, { weight: 1, arbitrary: fc.constantFrom(...p.bad) });
}

/** Image references: a registry, a path, a tag and a digest (each mostly valid), white space at the edges, or random text. */
export const imageArb: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 10,
    arbitrary: fc.tuple(part(EDGES, 20), part(REGISTRIES), part(PATHS), part(TAGS), part(DIGESTS), part(EDGES, 20)).map((parts) => parts.join('')),
  },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(...'aZ09:/@._-'.split('')), maxLength: 24 }) },
  { weight: 1, arbitrary: fc.constantFrom(hex(64), `sha256:${hex(64)}`, 'localhost:5000', `nginx:latest@sha256:${hex(64)}`) },
);

const NAMES = ['main', 'web', 'sidecar', 'dup', 'dup', 'Bad', 'x_y', 'a.b', 'x'.repeat(64), ''];
const nameArb = fc.constantFrom(...NAMES);

const ENV_NAMES = ['A', 'B', 'A', '_X', '1FOO', 'FOO=BAR', '.', '..x', 'a b', 'é', '', 'MY.VAR', 'tab\tname'];
const FIELD_PATHS = [
  'metadata.name',
  'spec.host',
  'status.hostIPs',
  'metadata.labels',
  "metadata.labels['app']",
  "metadata.labels['example.com/app']",
  "metadata.labels['a/b/c']",
  "metadata.labels['']",
  "metadata.annotations['\u0130']",
  "metadata.annotations['\u212a']",
  "metadata.annotations['Example.com/X']",
  "spec.nodeName['x']",
  "['x']",
  'bogus',
];
const RESOURCES = [
  'limits.cpu',
  'requests.cpu',
  'requests.memory',
  'limits.ephemeral-storage',
  'limits.hugepages-2Mi',
  'limits.gpu',
  'limits.hugepages-',
];
const DIVISORS: Array<string | number> = ['1', '1m', '1000m', '1024', '0.001k', '-0', '0', '0m', '1Ki', '1Mi', '2', 1, '0.5'];

const valueFromArb = fc
  .record(
    {
      fieldRef: fc.record(
        { fieldPath: fc.constantFrom(...FIELD_PATHS), apiVersion: fc.constantFrom('v1', 'v2', '') },
        { requiredKeys: ['fieldPath'] },
      ),
      resourceFieldRef: fc.record({ resource: fc.constantFrom(...RESOURCES), divisor: fc.constantFrom(...DIVISORS) }, { requiredKeys: ['resource'] }),
      configMapKeyRef: fc.constant({ name: 'settings', key: 'k' }),
      secretKeyRef: fc.constant({ name: 'secret', key: 'k' }),
    },
    { requiredKeys: [] },
  )
  .filter((vf) => Object.keys(vf).length <= 2);

const envArb = fc.record(
  { name: fc.constantFrom(...ENV_NAMES), value: fc.constantFrom('x', '', '$(A)'), valueFrom: valueFromArb },
  { requiredKeys: ['name'] },
);

const envFromArb = fc.record(
  { prefix: fc.constantFrom(...ENV_NAMES), configMapRef: fc.constant({ name: 'settings' }) },
  { requiredKeys: ['configMapRef'] },
);

const TIMEOUT_TOKENS = [
  '-s',
  'KILL',
  '-sKILL',
  '-s9',
  '--signal=TERM',
  '--signal',
  '--signal=',
  '--signalKILL',
  'sigkill',
  'SIGKILL',
  's\u0131gkill',
  'k\u0131ll',
  '-k',
  '5',
  '-k5',
  '--kill-after=2s',
  '--kill-after',
  '-t',
  '10',
  '-t5',
  '-tx',
  '--preserve-status',
  '--foreground',
  '-v',
  '-f',
  '--',
  '-x',
  '-',
  '30',
  '25',
  '1.5m',
  '0',
  '0.0',
  '.5',
  'abc',
  '20s',
  '1d',
  '-s\nKILL',
];

/** Exec commands: plain, sleeps (direct and through a shell), and `timeout` wrappers built from option tokens. */
export const commandArb: fc.Arbitrary<string[]> = fc.oneof(
  fc.constantFrom<string[]>(['/bin/flush'], ['sh', '-c', 'echo hi'], [], ['']),
  fc.constantFrom<string[]>(
    ['sleep', '5'],
    ['sleep', '25'],
    ['/bin/sleep', '1.5m'],
    ['sleep', 'x'],
    ['sh', '-c', 'sleep 25'],
    ['bash', '-c', ' exec sleep 5 '],
    ['sh', '-c', 'sleep\u00a025'],
    ['sh', '-c', 'sleep\u008525'],
    ['sh', '-c', 'sleep 5 && x'],
    ['sleep', '0'],
    ['sleep', '.5'],
    ['sleep', '21'],
    ['dash', '-c', 'sleep 1d'],
  ),
  fc
    .tuple(
      fc.constantFrom(['timeout'], ['/usr/bin/timeout'], ['busybox', 'timeout'], ['/bin/toybox', 'timeout'], ['busybox']),
      fc.array(fc.constantFrom(...TIMEOUT_TOKENS), { maxLength: 6 }),
      fc.constantFrom([] as string[], ['cmd'], ['cmd', 'arg']),
    )
    .map(([pre, opts, tail]) => [...pre, ...opts, ...tail]),
);

const portArb = fc.oneof(
  fc.constantFrom(0, 1, 80, 8080, 65535, 65536),
  fc.constantFrom('http', 'HTTP', 'my--port', '-x', '8080', 'metrics-endpoint', 'metrics-endpoin', '', 'a'),
);

const handlerArb = fc
  .record(
    {
      exec: fc.record({ command: commandArb }),
      httpGet: fc.record(
        {
          port: portArb,
          host: fc.constantFrom('', 'example.com'),
          scheme: fc.constantFrom('HTTP', 'HTTPS', 'https', ''),
          path: fc.constantFrom('', '/x'),
          httpHeaders: fc.constantFrom([{ name: 'X-A', value: 'v' }], [{ name: '', value: 'v' }], [{ name: 'a_b', value: 'v' }]),
        },
        { requiredKeys: ['port'] },
      ),
      tcpSocket: fc.record({ port: portArb }),
      sleep: fc.record({ seconds: fc.integer({ min: -2, max: 40 }) }),
    },
    { requiredKeys: [] },
  )
  .filter((h) => Object.keys(h).length <= 2);

const lifecycleArb = fc.record({ postStart: handlerArb, preStop: handlerArb }, { requiredKeys: [] });

function containerArb(extra: Record<string, fc.Arbitrary<unknown>> = {}): fc.Arbitrary<Record<string, unknown>> {
  return fc.record(
    {
      name: nameArb,
      image: imageArb,
      imagePullPolicy: fc.constantFrom('Always', 'IfNotPresent', 'IfNotPresent', 'Never', 'always', ''),
      env: fc.array(envArb, { maxLength: 4 }),
      envFrom: fc.array(envFromArb, { maxLength: 2 }),
      lifecycle: lifecycleArb,
      ...extra,
    },
    { requiredKeys: ['name'] },
  );
}

const specArb = fc.record(
  {
    containers: fc.array(containerArb(), { minLength: 0, maxLength: 3 }),
    initContainers: fc.array(containerArb({ restartPolicy: fc.constantFrom('Always', 'OnFailure') }), { maxLength: 2 }),
    ephemeralContainers: fc.array(containerArb(), { maxLength: 1 }),
    terminationGracePeriodSeconds: fc.constantFrom(0, 5, 20, 30, 45, 100),
    runtimeClassName: fc.constantFrom('gvisor', '', 'Bad_Name', 'kata.fc'),
    enableServiceLinks: fc.boolean(),
  },
  { requiredKeys: ['containers'] },
);

// the pinning rules often, so accepted mutable tags (and image-mutable-tag-pull-policy) come up
const SUPPRESSED_RULES = [
  ...RULE_CATALOGUE.map((r) => r.id),
  'bogus',
  ...Array.from({ length: 6 }, () => ['image-not-pinned', 'image-floating-tag']).flat(),
];
// a reason needs visible text: blanks, zero-width and format characters are none; punctuation alone is one
const REASONS = ['', ' ', 'accepted: local kind cluster', 'accepted', '\u00a0', '\ufeff', '\u0085', '\u200b', '\u2060\u200d', '-', '\u00e9'];
// suppressions name the pod's containers, and sometimes one it does not have
const SUPPRESSED_CONTAINERS = [...NAMES, 'main', 'main', 'ghost'];
const BUDGETS = [
  '{"main":{"preStop":25}}',
  '{"web":{"shutdownReserve":5,"preStop":1}}',
  'not json',
  '{"\\u006dain":{"preStop":5}}',
  '{"dup":{"postStart":3}}',
];

const annotationsArb: fc.Arbitrary<Record<string, string>> = fc
  .array(
    fc.oneof(
      {
        weight: 6,
        arbitrary: fc
          .tuple(
            fc.constantFrom(...SUPPRESSED_RULES),
            fc.option(fc.constantFrom(...SUPPRESSED_CONTAINERS), { nil: undefined }),
            fc.constantFrom(...REASONS),
          )
          .map(([rule, container, reason]): [string, string] => [
            `${SUPPRESS_ANNOTATION_PREFIX}${rule}${container === undefined ? '' : `.${container}`}`,
            reason,
          ]),
      },
      { weight: 1, arbitrary: fc.constantFrom(...BUDGETS).map((b): [string, string] => [HOOK_BUDGETS_ANNOTATION, b]) },
    ),
    { maxLength: 4 },
  )
  .map((entries) => Object.fromEntries(entries));

const metadataArb = fc.record({ annotations: annotationsArb }, { requiredKeys: [] });

/** Wraps a pod spec into an object of `kind`, with annotations at each metadata level. */
function wrap(kind: string, spec: Record<string, unknown>, metas: Array<Record<string, unknown>>): Record<string, unknown> {
  const k = POD_KINDS.find((x) => x.kind === kind)!;
  const apiVersion = k.group === '' ? k.version : `${k.group}/${k.version}`;
  const [own, middle, inner] = metas;
  const template = { metadata: { ...inner, labels: { app: 'gen' } }, spec };
  const selector = { matchLabels: { app: 'gen' } };
  const metadata = { name: 'gen', namespace: 'gen', ...own };
  switch (kind) {
    case 'Pod':
      return { apiVersion, kind, metadata: { ...metadata, ...inner }, spec };
    case 'PodTemplate':
      return { apiVersion, kind, metadata, template };
    case 'CronJob':
      return { apiVersion, kind, metadata, spec: { schedule: '* * * * *', jobTemplate: { metadata: middle, spec: { template } } } };
    case 'Job':
    case 'ReplicationController':
      return { apiVersion, kind, metadata, spec: { template } };
    default:
      return { apiVersion, kind, metadata, spec: { selector, template, ...(kind === 'StatefulSet' ? { serviceName: 'gen' } : {}) } };
  }
}

/** Pod-shaped objects of every kind. */
export const podObjectArb: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(fc.constantFrom(...POD_KINDS.map((k) => k.kind)), specArb, fc.tuple(metadataArb, metadataArb, metadataArb))
  .map(([kind, spec, metas]) => wrap(kind, spec, metas));
