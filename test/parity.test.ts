/**
 * Issue 10, "Parity, tested for every rule": for every rule of the catalogue, a manifest that triggers it, judged
 * through the four entry points: `SafePod` (through its own props where it can express the mistake, else with the
 * mistake planted into its rendered JSON, as a later patch by another tool would), the chart guard (`SafePodsGuard`
 * on a raw `ApiObject`), the cdk8s validation plugin (`SafePodsValidation` with the real cdk8s-cli
 * `ValidationContext`), and `checkObjects` and the CLI (`check --format json`, and the text format). Every entry point
 * reports the rule with its catalogue severity (for `SafePod`, the construct severity where the catalogue documents
 * one), and prints each finding as `formatFinding` does: `<severity> <rule>: <Kind "ns/name">: <message>`.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Chart, Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { stringify } from 'yaml';
import { runCli } from '../src/cli/run';
import { DownwardApi } from '../src/constructs/downward-api';
import { SafePodsGuard } from '../src/constructs/guard';
import type { SafePodProps } from '../src/constructs/safe-pod';
import { SafePod } from '../src/constructs/safe-pod';
import { SafePodsSettings, WarningMode } from '../src/constructs/settings';
import { LifecycleHook } from '../src/hooks/hook';
import type { JsonObject } from '../src/k8s/shapes';
import type { PluginValidationContext } from '../src/plugin';
import { SafePodsValidation } from '../src/plugin';
import { RULE_CATALOGUE } from '../src/rules/catalogue';
import { checkObjects } from '../src/rules/check';
import { formatFinding } from '../src/rules/format';
import type { Severity } from '../src/rules/types';

const { ValidationContext } = require(path.join(path.dirname(require.resolve('cdk8s-cli/package.json')), 'lib', 'plugins', 'validation'));

// ---- manifests -----------------------------------------------------------------------------------------------------

const IMAGE = 'nginx:1.27.3';
const APP = { name: 'app', image: IMAGE, imagePullPolicy: 'IfNotPresent' };

/** A Pod "web" with one clean container "app"; `container` and `spec` change it, `metadata` adds to its metadata. */
function pod(options: { container?: Record<string, unknown>; spec?: Record<string, unknown>; metadata?: Record<string, unknown> } = {}): JsonObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', ...options.metadata },
    spec: { enableServiceLinks: false, containers: [{ ...APP, ...options.container }], ...options.spec },
  };
}

function service(name: string, port = 80): JsonObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector: { app: name }, ports: [{ port }] } };
}

const GVISOR = { apiVersion: 'node.k8s.io/v1', kind: 'RuntimeClass', metadata: { name: 'gvisor' }, handler: 'runsc' };

/** Enough Services to push the service-link block of every container over DEFAULTS.serviceEnvWarnBytes. */
const MANY_SERVICES = Array.from({ length: 120 }, (_, i) => service(`backend-service-with-a-long-name-${i}`, 8080));

const SUPPRESS = 'safe-pods.cdk8s.io/suppress.';
const BUDGETS = 'safe-pods.cdk8s.io/hook-budgets';

// ---- the table -----------------------------------------------------------------------------------------------------

/** How `SafePod` gets the mistake: its own props, or the mistake planted into the JSON it renders. */
type SafePodCase =
  | {
      /** `SafePod` props that produce the mistake. */
      readonly props: SafePodProps;
    }
  | {
      /** Props of a clean pod to plant the mistake into. */
      readonly props?: SafePodProps;
      /** Changes the rendered pod JSON. */
      readonly plant: (json: any) => void;
      /** Why `SafePod`'s props cannot express the mistake. */
      readonly cannot: string;
    };

interface ParityRow {
  readonly rule: string;
  /** The manifest: the pod first, then the Services and RuntimeClasses it needs. */
  readonly objects: readonly JsonObject[];
  /** Judge with `requireDigest` (SafePodsSettings, plugin property, `--require-digest`). */
  readonly requireDigest?: boolean;
  readonly safePod: SafePodCase;
}

const CLEAN: SafePodProps = { containers: [{ name: 'app', image: IMAGE }] };
const planted = (cannot: string, plant: (json: any) => void, props?: SafePodProps): SafePodCase => ({ cannot, plant, ...(props ? { props } : {}) });
const app0 = (json: any): any => json.spec.containers[0];

const ROWS: readonly ParityRow[] = [
  {
    rule: 'field-type-invalid',
    objects: [pod({ container: { env: [{ name: 'DEBUG', value: true }] } })],
    safePod: planted('its props are typed: an env value is a string', (json) => (app0(json).env = [{ name: 'DEBUG', value: true }])),
  },
  {
    rule: 'pod-no-containers',
    objects: [pod({ spec: { containers: [] } })],
    safePod: { props: {} },
  },
  {
    rule: 'container-name-invalid',
    objects: [pod({ container: { name: 'App_1' } })],
    safePod: { props: { containers: [{ name: 'App_1', image: IMAGE }] } },
  },
  {
    rule: 'image-missing',
    objects: [pod({ container: { image: '' } })],
    safePod: { props: { containers: [{ name: 'app', image: '' }] } },
  },
  {
    rule: 'image-whitespace',
    objects: [pod({ container: { image: ` ${IMAGE}` } })],
    safePod: { props: { containers: [{ name: 'app', image: ` ${IMAGE}` }] } },
  },
  {
    rule: 'image-invalid',
    objects: [pod({ container: { image: 'NGINX:1.27.3' } })],
    safePod: { props: { containers: [{ name: 'app', image: 'NGINX:1.27.3' }] } },
  },
  {
    rule: 'image-not-pinned',
    objects: [pod({ container: { image: 'nginx:latest' } })],
    safePod: { props: { containers: [{ name: 'app', image: 'nginx:latest' }] } },
  },
  {
    rule: 'image-floating-tag',
    objects: [pod({ container: { image: 'nginx:stable-alpine' } })],
    safePod: { props: { containers: [{ name: 'app', image: 'nginx:stable-alpine' }] } },
  },
  {
    rule: 'image-digest-required',
    objects: [pod()],
    requireDigest: true,
    safePod: { props: CLEAN },
  },
  {
    rule: 'image-pull-policy-missing',
    objects: [pod({ container: { imagePullPolicy: undefined } })],
    safePod: planted('SafePod writes imagePullPolicy on every container itself', (json) => delete app0(json).imagePullPolicy),
  },
  {
    rule: 'image-pull-policy-invalid',
    objects: [pod({ container: { imagePullPolicy: 'ifnotpresent' } })],
    safePod: planted('imagePullPolicy is the cdk8s-plus ImagePullPolicy enum', (json) => (app0(json).imagePullPolicy = 'ifnotpresent')),
  },
  {
    rule: 'image-mutable-tag-pull-policy',
    objects: [
      pod({
        container: { image: 'nginx:latest', imagePullPolicy: 'IfNotPresent' },
        metadata: { annotations: { [`${SUPPRESS}image-not-pinned.app`]: 'local kind cluster' } },
      }),
    ],
    safePod: {
      props: {
        containers: [
          { name: 'app', image: 'nginx:latest', allowMutableTag: 'local kind cluster', imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT },
        ],
      },
    },
  },
  {
    rule: 'env-service-link-prefix',
    objects: [
      pod({ container: { name: 'broker', image: 'confluentinc/cp-kafka:7.6.0' }, spec: { enableServiceLinks: true } }),
      service('kafka', 9092),
    ],
    safePod: { props: { enableServiceLinks: true, containers: [{ name: 'broker', image: 'confluentinc/cp-kafka:7.6.0' }] } },
  },
  {
    rule: 'env-service-link-collision',
    objects: [
      pod({ container: { env: [{ name: 'API_SERVICE_HOST', value: 'api.example.com' }] }, spec: { enableServiceLinks: true } }),
      service('api'),
    ],
    safePod: {
      props: {
        enableServiceLinks: true,
        containers: [{ name: 'app', image: IMAGE, envVariables: { API_SERVICE_HOST: kplus.EnvValue.fromValue('api.example.com') } }],
      },
    },
  },
  {
    rule: 'env-service-links-too-large',
    objects: [pod({ spec: { enableServiceLinks: true } }), ...MANY_SERVICES],
    safePod: { props: { ...CLEAN, enableServiceLinks: true } },
  },
  {
    rule: 'env-unresolved-reference',
    objects: [
      pod({
        container: {
          env: [
            { name: 'GREETING', value: 'hello' },
            { name: 'MESSAGE', value: '$(GRETING), world' },
          ],
        },
      }),
    ],
    safePod: {
      props: {
        containers: [
          {
            name: 'app',
            image: IMAGE,
            envVariables: { GREETING: kplus.EnvValue.fromValue('hello'), MESSAGE: kplus.EnvValue.fromValue('$(GRETING), world') },
          },
        ],
      },
    },
  },
  {
    rule: 'env-name-invalid',
    objects: [pod({ container: { env: [{ name: '1MODE', value: 'fast' }] } })],
    safePod: { props: { containers: [{ name: 'app', image: IMAGE, envVariables: { '1MODE': kplus.EnvValue.fromValue('fast') } }] } },
  },
  {
    rule: 'env-duplicate-name',
    objects: [
      pod({
        container: {
          env: [
            { name: 'MODE', value: 'a' },
            { name: 'MODE', value: 'b' },
          ],
        },
      }),
    ],
    safePod: planted('cdk8s-plus keeps one variable per name (addEnv overwrites)', (json) => {
      app0(json).env = [
        { name: 'MODE', value: 'a' },
        { name: 'MODE', value: 'b' },
      ];
    }),
  },
  {
    rule: 'env-value-from-conflict',
    objects: [pod({ container: { env: [{ name: 'POD', value: 'x', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }] } })],
    safePod: planted('a cdk8s-plus EnvValue is either a value or a valueFrom', (json) => {
      app0(json).env = [{ name: 'POD', value: 'x', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }];
    }),
  },
  {
    rule: 'env-field-ref-unsupported',
    objects: [pod({ container: { env: [{ name: 'HOST_IPS', valueFrom: { fieldRef: { fieldPath: 'status.hostIPs' } } }] } })],
    safePod: { props: { containers: [{ name: 'app', image: IMAGE, envVariables: { HOST_IPS: DownwardApi.hostIPs() } }] } },
  },
  {
    rule: 'runtime-class-name-invalid',
    objects: [pod({ spec: { runtimeClassName: 'Kata_Containers' } })],
    safePod: { props: { ...CLEAN, runtimeClass: 'Kata_Containers' } },
  },
  {
    rule: 'runtime-class-unknown',
    objects: [pod({ spec: { runtimeClassName: 'gvisr' } }), GVISOR],
    safePod: { props: { ...CLEAN, runtimeClass: 'gvisr' } },
  },
  {
    rule: 'runtime-class-node-selector-conflict',
    objects: [
      pod({ spec: { runtimeClassName: 'gvisor', nodeSelector: { sandbox: 'kata' } } }),
      { ...GVISOR, scheduling: { nodeSelector: { sandbox: 'gvisor' } } },
    ],
    safePod: planted(
      'cdk8s-plus writes node selection as nodeAffinity, never spec.nodeSelector',
      (json) => (json.spec.nodeSelector = { sandbox: 'kata' }),
      { ...CLEAN, runtimeClass: 'gvisor' },
    ),
  },
  {
    rule: 'runtime-class-overhead-mismatch',
    objects: [pod({ spec: { overhead: { cpu: '250m' } } })],
    safePod: planted('SafePod has no overhead prop (admission copies it from the RuntimeClass)', (json) => (json.spec.overhead = { cpu: '250m' })),
  },
  {
    rule: 'lifecycle-not-allowed',
    objects: [
      pod({
        spec: {
          initContainers: [{ name: 'init', image: IMAGE, imagePullPolicy: 'IfNotPresent', lifecycle: { preStop: { sleep: { seconds: 5 } } } }],
        },
      }),
    ],
    safePod: { props: { ...CLEAN, initContainers: [{ name: 'init', image: IMAGE, hooks: { preStop: LifecycleHook.execSleep(5) } }] } },
  },
  {
    rule: 'lifecycle-handler-invalid',
    objects: [pod({ container: { lifecycle: { preStop: { exec: { command: [] } } } } })],
    safePod: planted('LifecycleHook.exec refuses an empty command when it is created', (json) => {
      app0(json).lifecycle = { preStop: { exec: { command: [] } } };
    }),
  },
  {
    rule: 'lifecycle-sleep-unsupported',
    objects: [pod({ container: { lifecycle: { preStop: { sleep: { seconds: 5 } } } } })],
    safePod: { props: { containers: [{ name: 'app', image: IMAGE, hooks: { preStop: LifecycleHook.sleep(5) } }] } },
  },
  {
    rule: 'lifecycle-tcp-socket',
    objects: [pod({ container: { lifecycle: { preStop: { tcpSocket: { port: 8080 } } } } })],
    safePod: planted('LifecycleHook has no tcpSocket factory, and SafePod refuses cdk8s-plus lifecycle Handlers', (json) => {
      app0(json).lifecycle = { preStop: { tcpSocket: { port: 8080 } } };
    }),
  },
  {
    rule: 'lifecycle-host-set',
    objects: [pod({ container: { lifecycle: { preStop: { httpGet: { path: '/drain', port: 8080, host: 'example.com' } } } } })],
    safePod: planted('LifecycleHook.httpGet has no host option', (json) => {
      app0(json).lifecycle = { preStop: { httpGet: { path: '/drain', port: 8080, host: 'example.com' } } };
    }),
  },
  {
    rule: 'lifecycle-prestop-exceeds-grace',
    objects: [pod({ container: { lifecycle: { preStop: { exec: { command: ['sleep', '60'] } } } } })],
    safePod: {
      props: {
        ...CLEAN,
        terminationGracePeriod: Duration.seconds(30),
        containers: [{ name: 'app', image: IMAGE, hooks: { preStop: LifecycleHook.execSleep(60) } }],
      },
    },
  },
  {
    rule: 'lifecycle-exec-unbounded',
    objects: [pod({ container: { lifecycle: { postStart: { exec: { command: ['sh', '-c', 'echo started > /tmp/started'] } } } } })],
    safePod: planted('LifecycleHook.exec wraps the command in timeout', (json) => {
      app0(json).lifecycle = { postStart: { exec: { command: ['sh', '-c', 'echo started > /tmp/started'] } } };
    }),
  },
  {
    rule: 'lifecycle-poststart-unbounded',
    objects: [pod({ container: { lifecycle: { postStart: { httpGet: { path: '/warm', port: 8080 } } } } })],
    safePod: { props: { containers: [{ name: 'app', image: IMAGE, hooks: { postStart: LifecycleHook.httpGet('/warm', { port: 8080 }) } }] } },
  },
  {
    rule: 'lifecycle-budget-annotation-invalid',
    objects: [pod({ metadata: { annotations: { [BUDGETS]: '{"app": {"preStop": "ten"}}' } } })],
    safePod: { props: { ...CLEAN, metadata: { annotations: { [BUDGETS]: '{"app": {"preStop": "ten"}}' } } } },
  },
  {
    rule: 'suppression-without-reason',
    objects: [pod({ metadata: { annotations: { [`${SUPPRESS}image-not-pinned.app`]: ' ' } } })],
    safePod: { props: { ...CLEAN, metadata: { annotations: { [`${SUPPRESS}image-not-pinned.app`]: ' ' } } } },
  },
  {
    rule: 'suppression-unknown-rule',
    objects: [pod({ metadata: { annotations: { [`${SUPPRESS}image-unpinned.app`]: 'local kind cluster' } } })],
    safePod: { props: { ...CLEAN, metadata: { annotations: { [`${SUPPRESS}image-unpinned.app`]: 'local kind cluster' } } } },
  },
  {
    rule: 'suppression-unknown-container',
    objects: [pod({ metadata: { annotations: { [`${SUPPRESS}image-not-pinned.ap`]: 'local kind cluster' } } })],
    safePod: { props: { ...CLEAN, metadata: { annotations: { [`${SUPPRESS}image-not-pinned.ap`]: 'local kind cluster' } } } },
  },
];

// ---- the entry points ----------------------------------------------------------------------------------------------

/** What an entry point printed: one `formatFinding` line per finding. */
type Lines = string[];

const FINDING_LINE = /^((?:error|warning) [a-z0-9]+(?:-[a-z0-9]+)+: [A-Za-z]+ "[^"]*": .+)$/;

function chartWith(row: ParityRow): { app: ReturnType<typeof Testing.app>; chart: Chart } {
  const app = Testing.app();
  // warnings fail the synth too, so the synth error lists every finding
  // every entry point judges with the defaults (no repository config file), as checkObjects does
  SafePodsSettings.set(app, { warnings: WarningMode.FAIL, configFile: false, ...(row.requireDigest ? { requireDigest: true } : {}) });
  const chart = new Chart(app, 'test');
  row.objects.slice(1).forEach((o, i) => new ApiObject(chart, `extra-${i}`, o as never));
  return { app, chart };
}

/** The lines of a failed synth that carry findings, without cdk8s's `[construct path] ` prefix (and `prefix`). */
function synthLines(chart: Chart, prefix: RegExp): Lines {
  let message: string | undefined;
  try {
    chart.toJson();
  } catch (e) {
    message = (e as Error).message;
  }
  if (message === undefined) return [];
  return message
    .split('\n')
    .map((l) => l.replace(/^\s*\[[^\]]*\] /, '').replace(prefix, ''))
    .filter((l) => FINDING_LINE.test(l));
}

function viaSafePod(row: ParityRow): { lines: Lines; expected: Lines | undefined } {
  const { chart } = chartWith(row);
  const c = row.safePod;
  const safePod = new SafePod(chart, 'web', c.props ?? CLEAN);
  if ('plant' in c) {
    // written after rendering, as a later patch by another tool would
    const l1 = ApiObject.of(safePod);
    const render = l1.toJson.bind(l1);
    l1.toJson = () => {
      const json = structuredClone(render());
      c.plant(json);
      return json;
    };
  }
  const l1 = ApiObject.of(safePod);
  const expected: Lines = safePod.findings().map((f) => formatFinding({ ...f, kind: l1.kind, name: l1.name }));
  return { lines: synthLines(chart, /^$/), expected };
}

function viaGuard(row: ParityRow): Lines {
  const { chart } = chartWith(row);
  new ApiObject(chart, 'web', row.objects[0] as never);
  SafePodsGuard.apply(chart);
  return synthLines(chart, /^\S+: /);
}

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'safe-pods-parity-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function manifestFile(row: ParityRow): string {
  const file = path.join(dir, `${row.rule}.yaml`);
  fs.writeFileSync(file, row.objects.map((o) => stringify(o)).join('---\n'));
  return file;
}

async function viaPlugin(row: ParityRow, file: string): Promise<{ lines: Lines; violations: string[] }> {
  const ctx = new ValidationContext([file], 'cdk8s-safe-pods', '0.1.0', {}, false);
  await new SafePodsValidation({ configFile: false, ...(row.requireDigest ? { requireDigest: true } : {}) }).validate(ctx as PluginValidationContext);
  const report = ctx.report.toJson() as {
    violations: Array<{ ruleName: string; recommendation: string; violatingConstructs: Array<{ locations: string[] }> }>;
  };
  const lines = report.violations.flatMap((v) =>
    v.violatingConstructs.flatMap((c) => c.locations.map((l) => l.replace(/^\S+(?: \(line \d+\))?: /, ''))),
  );
  // one violation per rule and severity: "<severity>: <title>"
  const violations = report.violations.map((v) => `${v.recommendation.slice(0, v.recommendation.indexOf(':'))} ${v.ruleName}`);
  return { lines, violations };
}

async function viaCli(row: ParityRow, file: string): Promise<{ json: string[]; lines: Lines }> {
  const args = [...(row.requireDigest ? ['--require-digest'] : []), file];
  let out = '';
  const io = { stdout: (t: string) => (out += t), stderr: () => undefined };
  await runCli(['check', '--no-config', '--format', 'json', ...args], io);
  const json = (JSON.parse(out).findings as Array<{ rule: string; severity: string }>).map((f) => `${f.severity} ${f.rule}`);
  out = '';
  await runCli(['check', '--no-config', ...args], io);
  // text: "<file>:<line>:<col>: <formatFinding>"
  const lines = out
    .split('\n')
    .map((l) => (l.startsWith(file) ? l.replace(/^\S+: /, '') : ''))
    .filter((l) => FINDING_LINE.test(l));
  return { json, lines };
}

function viaCheckObjects(row: ParityRow): Lines {
  return checkObjects(row.objects, row.requireDigest ? { requireDigest: true } : {}).findings.map(formatFinding);
}

/**
 * The lines as compared across entry points. A Service in a message names where it was found, and that is each entry
 * point's own: a construct path (`Service test/extra-0`) in a synth, `file:line` in the plugin and the CLI, nothing for
 * objects given to checkObjects in memory.
 */
function comparable(lines: Lines): string[] {
  return lines.map((l) => l.replace(/(Service "[^"]*") \([^)]*\)/g, '$1')).sort();
}

/** `<severity> <rule>` of each line. */
function ruleOf(line: string): string {
  return line.slice(0, line.indexOf(':'));
}

const sorted = (xs: readonly string[]): string[] => [...xs].sort();

// ---- the tests -----------------------------------------------------------------------------------------------------

describe('parity of the four entry points, rule by rule', () => {
  test('every rule of the catalogue has a row, and every row names a catalogue rule once', () => {
    expect(sorted(ROWS.map((r) => r.rule))).toEqual(sorted(RULE_CATALOGUE.map((r) => r.id)));
  });

  describe.each(ROWS.map((row) => [row.rule, row] as const))('%s', (id, row) => {
    const info = RULE_CATALOGUE.find((r) => r.id === id)!;
    const manifestSeverity: Severity = info.severity;
    const constructSeverity: Severity = info.constructSeverity ?? info.severity;
    const mark = (severity: Severity): string => `${severity} ${id}`;

    test(`checkObjects reports it (${manifestSeverity})`, () => {
      expect(viaCheckObjects(row).map(ruleOf)).toContain(mark(manifestSeverity));
    });

    test('the chart guard prints the same findings as checkObjects, each as formatFinding', () => {
      expect(comparable(viaGuard(row))).toEqual(comparable(viaCheckObjects(row)));
    });

    test('the validation plugin reports the same findings, each as formatFinding, grouped by rule and severity', async () => {
      const { lines, violations } = await viaPlugin(row, manifestFile(row));
      expect(comparable(lines)).toEqual(comparable(viaCheckObjects(row)));
      expect(violations).toContain(mark(manifestSeverity));
    });

    test('the CLI reports the same findings in JSON and prints them as formatFinding in text', async () => {
      const { json, lines } = await viaCli(row, manifestFile(row));
      const expected = viaCheckObjects(row);
      expect(sorted(json)).toEqual(sorted(expected.map(ruleOf)));
      expect(comparable(lines)).toEqual(comparable(expected));
    });

    const how = 'plant' in row.safePod ? `planted: ${row.safePod.cannot}` : 'through its props';
    test(`SafePod reports it (${constructSeverity}), ${how}`, () => {
      const { lines, expected } = viaSafePod(row);
      expect(lines.map(ruleOf)).toContain(mark(constructSeverity));
      if (expected === undefined) expect(id).toBe('pod-no-containers');
      else expect(sorted(lines)).toEqual(sorted(expected));
    });
  });
});
