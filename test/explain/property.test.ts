/**
 * Every value of the explained environment agrees with the library's own models of the kubelet: `serviceLinkEnv` for
 * the service-link variables, `assembleContainerEnv` for env/envFrom precedence and `$(VAR)` expansion, and
 * `expandVariables` for command and args. Over generated pods: env lists with `$(VAR)` references (forward, self,
 * escaped, unterminated), envFrom ConfigMaps with and without prefix, known or unknown, Services with links on and off.
 */
import fc from 'fast-check';
import { serviceLinkEnv } from '../../src/constructs/service-facts';
import { assembleContainerEnv, expandVariables, VALUE_FROM_PLACEHOLDER } from '../../src/env/expansion';
import type { EnvEntry } from '../../src/env/expansion';
import { explainPod } from '../../src/explain';
import type { ConfigSourceFacts, ExplainedContainer } from '../../src/explain';
import { ConfigSourceKind, EnvSourceKind } from '../../src/explain';
import type { ServiceFacts } from '../../src/k8s/shapes';

const NAMESPACE = 'shop';
const NAMES = ['A', 'B', 'C', 'REDIS_SERVICE_HOST', 'REDIS_PORT', 'API_SERVICE_PORT', 'KUBERNETES_SERVICE_HOST', 'APP_A', 'APP_B'];
/** Downward-API paths whose values only the cluster knows: the explanation shows a placeholder of its own. */
const UNKNOWN_FIELD_PATHS = ['metadata.uid', 'status.podIP'];
const PLACEHOLDERS = UNKNOWN_FIELD_PATHS.map((p) => `<${p}>`);

const token = fc.constantFrom('x', '-', ' ', '1', '$$', '$', '$(', ')', '$(A', '$$(A)', '$()', ...NAMES.map((n) => `$(${n})`));
const text = fc.array(token, { maxLength: 5 }).map((t) => t.join(''));

const service: fc.Arbitrary<ServiceFacts> = fc.record({
  name: fc.constantFrom('redis', 'api', 'kubernetes', 'db-main'),
  namespace: fc.constantFrom(undefined, NAMESPACE, 'other', 'default'),
  type: fc.constantFrom(undefined, 'ClusterIP', 'ExternalName'),
  clusterIP: fc.constantFrom(undefined, '10.0.0.5', 'None', 'fd00::1'),
  ports: fc.array(
    fc.record({
      name: fc.constantFrom(undefined, 'http', 'metrics'),
      port: fc.integer({ min: 1, max: 65535 }),
      protocol: fc.constantFrom(undefined, 'TCP', 'UDP'),
    }),
    { minLength: 1, maxLength: 2 },
  ),
});

type GenEnv = { name: string; value?: string; valueFrom?: { fieldRef: { fieldPath: string } } };
const envEntry: fc.Arbitrary<GenEnv> = fc.oneof(
  fc.record({ name: fc.constantFrom(...NAMES), value: text }),
  fc.record({
    name: fc.constantFrom(...NAMES),
    valueFrom: fc.record({ fieldRef: fc.record({ fieldPath: fc.constantFrom(...UNKNOWN_FIELD_PATHS) }) }),
  }),
);

interface GenSource {
  readonly name: string;
  readonly prefix: string;
  /** The ConfigMap's data (the keys without prefix). */
  readonly data: Record<string, string>;
  /** Whether the ConfigMap is given to the explanation as a fact. */
  readonly known: boolean;
}
const source: fc.Arbitrary<GenSource> = fc.record({
  name: fc.constantFrom('cm-1', 'cm-2', 'cm-3'),
  prefix: fc.constantFrom('', 'APP_'),
  data: fc.dictionary(fc.constantFrom('A', 'B', 'C', 'REDIS_PORT', 'X'), text, { maxKeys: 3 }),
  known: fc.boolean(),
});

const podCase = fc.record({
  services: fc.array(service, { maxLength: 4 }),
  links: fc.constantFrom(undefined, true, false),
  kubernetesServiceIP: fc.constantFrom(undefined, '10.96.0.1'),
  env: fc.array(envEntry, { maxLength: 6 }),
  // one source per ConfigMap name: the same name twice would have to carry the same data
  envFrom: fc.uniqueArray(source, { maxLength: 3, selector: (s) => s.name }),
  command: fc.option(fc.array(text, { maxLength: 3 }), { nil: undefined }),
  args: fc.option(fc.array(text, { maxLength: 3 }), { nil: undefined }),
});
type PodCase = typeof podCase extends fc.Arbitrary<infer T> ? T : never;

function podOf(c: PodCase): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: NAMESPACE },
    spec: {
      ...(c.links !== undefined ? { enableServiceLinks: c.links } : {}),
      containers: [
        {
          name: 'main',
          image: 'nginx:1.27.3',
          env: c.env,
          envFrom: c.envFrom.map((s) => ({ configMapRef: { name: s.name }, ...(s.prefix !== '' ? { prefix: s.prefix } : {}) })),
          ...(c.command ? { command: c.command } : {}),
          ...(c.args ? { args: c.args } : {}),
        },
      ],
    },
  };
}

function factsOf(sources: readonly GenSource[]): ConfigSourceFacts[] {
  return sources.map((s) => ({ kind: ConfigSourceKind.CONFIG_MAP, name: s.name, namespace: NAMESPACE, keys: Object.keys(s.data), values: s.data }));
}

/** The explanation's named downward-API placeholders become the one placeholder `assembleContainerEnv` uses. */
function normalise(value: string): string {
  let out = value;
  for (const p of PLACEHOLDERS) out = out.split(p).join(VALUE_FROM_PLACEHOLDER);
  return out;
}

/** `assembleContainerEnv` with the given ConfigMap data for every source. */
function modelEnv(c: PodCase, data: (s: GenSource) => Record<string, string>): Record<string, string> {
  const envFrom: Record<string, string> = {};
  for (const s of c.envFrom) for (const [k, v] of Object.entries(data(s))) envFrom[s.prefix + k] = v;
  const serviceEnv = serviceLinkEnv(c.services, {
    podNamespace: NAMESPACE,
    enableServiceLinks: c.links !== false,
    ...(c.kubernetesServiceIP !== undefined ? { kubernetesServiceIP: c.kubernetesServiceIP } : {}),
  });
  return assembleContainerEnv({ envFrom, env: c.env as EnvEntry[], serviceEnv });
}

function explained(c: PodCase, known: (s: GenSource) => boolean): ExplainedContainer {
  const pod = explainPod(podOf(c), {
    services: c.services,
    configSources: factsOf(c.envFrom.filter(known)),
    ...(c.kubernetesServiceIP !== undefined ? { kubernetesServiceIP: c.kubernetesServiceIP } : {}),
  });
  expect(pod.problems).toEqual([]);
  return pod.containers[0];
}

function envMap(c: ExplainedContainer): Record<string, string> {
  return Object.fromEntries(c.env.map((v) => [v.name, normalise(v.value)]));
}

describe('the explained environment agrees with serviceLinkEnv, assembleContainerEnv and expandVariables', () => {
  test('with every ConfigMap known: the same variables with the same values, command and args expanded against them', () => {
    fc.assert(
      fc.property(podCase, (c) => {
        const container = explained(c, () => true);
        const model = modelEnv(c, (s) => s.data);
        expect(envMap(container)).toEqual(model);
        for (const [list, argv] of [
          ['command', c.command],
          ['args', c.args],
        ] as const) {
          const got = container[list];
          if (argv === undefined) expect(got).toBeUndefined();
          else expect(got!.expanded.map(normalise)).toEqual(argv.map((s) => expandVariables(s, model)));
        }
        for (const v of container.env) expect(v.dependsOn).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  test('every service-link variable has the value serviceLinkEnv gives it, and is there exactly when the container does not set the name', () => {
    fc.assert(
      fc.property(podCase, (c) => {
        const container = explained(c, () => true);
        const links = serviceLinkEnv(c.services, {
          podNamespace: NAMESPACE,
          enableServiceLinks: c.links !== false,
          ...(c.kubernetesServiceIP !== undefined ? { kubernetesServiceIP: c.kubernetesServiceIP } : {}),
        });
        const own = new Set([...c.env.map((e) => e.name), ...c.envFrom.flatMap((s) => Object.keys(s.data).map((k) => s.prefix + k))]);
        for (const v of container.env) {
          const fromService = v.sourceKind === EnvSourceKind.SERVICE || v.sourceKind === EnvSourceKind.KUBERNETES_SERVICE;
          if (fromService) expect(v.value).toBe(links[v.name]);
          for (const s of v.shadowed) {
            if (s.sourceKind === EnvSourceKind.SERVICE || s.sourceKind === EnvSourceKind.KUBERNETES_SERVICE) expect(s.value).toBe(links[v.name]);
          }
        }
        for (const name of Object.keys(links)) {
          const v = container.env.find((x) => x.name === name)!;
          const serviceEntry = [v, ...v.shadowed].filter(
            (e) => e.sourceKind === EnvSourceKind.SERVICE || e.sourceKind === EnvSourceKind.KUBERNETES_SERVICE,
          );
          expect(serviceEntry).toHaveLength(1);
          expect(v.sourceKind === EnvSourceKind.SERVICE || v.sourceKind === EnvSourceKind.KUBERNETES_SERVICE).toBe(!own.has(name));
        }
      }),
      { numRuns: 200 },
    );
  });

  test('every entry that sets a name is either the winner or listed as shadowed, in the order they are written', () => {
    fc.assert(
      fc.property(podCase, (c) => {
        const container = explained(c, () => true);
        const links = modelEnv({ ...c, env: [], envFrom: [] }, () => ({}));
        for (const v of container.env) {
          const sources = [
            ...c.envFrom
              .filter((s) => Object.keys(s.data).some((k) => s.prefix + k === v.name))
              .map((s) => `envFrom[${c.envFrom.indexOf(s)}] configMapRef ${s.name}`),
            ...c.env.flatMap((e, i) => (e.name === v.name ? [`env[${i}]`] : [])),
          ];
          const written = [...v.shadowed.map((s) => s.source), v.source].filter((s) => !s.startsWith('service ') && s !== 'default/kubernetes');
          expect(written.map((s) => s.replace(/ downward API .*$/, ''))).toEqual(sources);
          expect([v, ...v.shadowed].some((e) => e.sourceKind === EnvSourceKind.SERVICE || e.sourceKind === EnvSourceKind.KUBERNETES_SERVICE)).toBe(
            v.name in links,
          );
        }
      }),
      { numRuns: 200 },
    );
  });

  test('with ConfigMaps unknown at synth: exact without their keys, and whatever keys they have, a value without dependsOn is right', () => {
    const unknownData = fc.dictionary(fc.constantFrom('A', 'B', 'C', 'REDIS_PORT', 'REDIS_SERVICE_HOST', 'X'), text, { maxKeys: 3 });
    fc.assert(
      fc.property(podCase, fc.array(unknownData, { minLength: 3, maxLength: 3 }), (c, data) => {
        const container = explained(c, (s) => s.known);
        const actual = (s: GenSource): Record<string, string> => (s.known ? s.data : data[c.envFrom.indexOf(s)]);
        // the unknown ConfigMaps have none of the keys: the explanation is exact
        const without = modelEnv(c, (s) => (s.known ? s.data : {}));
        expect(envMap(container)).toEqual(without);
        // they have some keys: every value not marked as depending on them is still right, and every new name comes from them
        const withKeys = modelEnv(c, actual);
        for (const v of container.env) if (v.dependsOn.length === 0) expect(normalise(v.value)).toBe(withKeys[v.name]);
        const prefixes = container.envFrom.filter((s) => s.names === undefined).map((s) => s.prefix);
        for (const name of Object.keys(withKeys)) {
          if (!(name in without)) expect(prefixes.some((p) => name.length > p.length && name.startsWith(p))).toBe(true);
        }
        for (const s of container.envFrom) expect(s.names === undefined).toBe(!c.envFrom.find((g) => g.name === s.name)!.known);
      }),
      { numRuns: 300 },
    );
  });
});
