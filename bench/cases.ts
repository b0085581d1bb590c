/**
 * The benchmark cases. Each case is run in a fresh child process by `bench/run.ts`: `prepare()` does the untimed
 * setup (imports are already loaded), the function it returns is the timed work.
 *
 * To add a case, write one function `(options) => BenchCase` and list it in `casesFor`. The CLI case shows the
 * shape: it only needs the module it measures and the YAML inputs, which the harness prepares once per run.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { loadAll } from 'js-yaml';
import { runCli } from '../src/cli/run';
import { SafePod } from '../src/constructs/safe-pod';
import { RULES } from '../src/rules/catalogue';
import { workloadCases } from './workload-cases';

// The rule files load when the catalogue is first read; read it now, so every child has every module loaded (and
// compiled by ts-node) before the timed work, as the report says.
if (RULES.length === 0) throw new Error('the rule catalogue is empty');

/** What a case measures, for grouping in the report. */
export enum CaseGroup {
  /** The shape: N pods, each one container with a pinned image and nothing else, synthesized to YAML. */
  MINIMAL = 'minimal',
  /** `require` of the compiled main entry, or of cdk8s-plus-27, in a fresh plain `node` process. */
  REQUIRE = 'require',
  /** Construct N pods and synthesize the app to YAML (what `cdk8s synth` does). */
  SYNTH = 'synth',
  /** SafePods with service links on next to Services (the collision and env checks). */
  SERVICES = 'services',
  /** Read and check YAML files (the CLI) or only parse them (the baseline). */
  CHECK = 'check',
  /** Whole processes on a large corpus: `cdk8s-safe-pods check --format json` against `js-yaml` `loadAll` alone. */
  READ = 'read',
}

/** YAML files a case reads: prepared once per run, before any measurement, into `.bench/input/<id>/`. */
export interface InputSpec {
  /** Directory name under `.bench/input/`. */
  readonly id: string;
  /** SafePods in the input. */
  readonly pods: number;
  /** Services in the input (SafePods then have service links on). */
  readonly services: number;
  /**
   * A real manifest (a file of bench/fixtures/) concatenated `copies` times into one file, instead of synthesized pods.
   *
   * @default - the input is synthesized
   */
  readonly corpus?: { readonly file: string; readonly copies: number };
}

/** A whole-process run: `node <args>`, timed from outside (start-up included). */
export interface ProcessSpec {
  /** Arguments of `node` (the script and its arguments). */
  readonly args: readonly string[];
}

/** One benchmark case. */
export interface BenchCase {
  /** Unique id, e.g. `synth/safepod/1000`. */
  readonly id: string;
  /** The group the case belongs to. */
  readonly group: CaseGroup;
  /** What is measured, e.g. `SafePod` or `kplus.Pod`. */
  readonly variant: string;
  /** Number of pods. */
  readonly pods: number;
  /** Number of Services. */
  readonly services: number;
  /** Number of runs (each in a fresh process); the report shows the median. */
  readonly reps: number;
  /**
   * YAML input the case reads.
   *
   * @default - none
   */
  readonly input?: InputSpec;
  /**
   * Why the case cannot run in this tree (e.g. the module it measures is not merged yet).
   *
   * @default - it can run
   */
  readonly unavailable?: () => string | undefined;
  /**
   * The case is a whole process, started by the harness and timed from outside: what to run, given the prepared
   * input and the CLI transpiled by the harness (`node <cli> ...`).
   *
   * @default - the case is timed in a harness child with `prepare`
   */
  readonly process?: (inputDir: string, cli: string) => ProcessSpec;
  /**
   * Untimed setup; returns the timed work (a returned promise is awaited). `inputDir` is the prepared input, if any.
   *
   * @default - the case is a `spawn` or `process` case
   */
  prepare?(inputDir?: string): () => unknown;
  /**
   * Arguments of a plain `node` process (no ts-node, nothing preloaded) that does the work and prints one sample as
   * JSON on stdout, for what the usual child cannot measure (it has every module loaded before the timed work).
   *
   * @default - the case runs `prepare` in a ts-node child
   */
  readonly spawn?: readonly string[];
  /**
   * Needs the compiled library in `LIB_DIR` (built once per benchmark run, removed after it).
   *
   * @default false
   */
  readonly needsLib?: boolean;
}

/** Options of a run. */
export interface CaseOptions {
  /** Pod counts of the synthesis series (the report compares the last two for linearity). */
  readonly sizes: readonly number[];
  /** The services cases: [pods, services] pairs (the report compares the last two for linearity). */
  readonly serviceSizes: ReadonlyArray<readonly [number, number]>;
  /** Runs per case below `bigThreshold` pods. */
  readonly reps: number;
  /** Runs per case at or above `bigThreshold` pods. */
  readonly bigReps: number;
  /** Pod count from which a case is "big" (fewer runs). */
  readonly bigThreshold: number;
  /** Pod counts of the minimal-pod series, on which the SafePod target is set. */
  readonly minimalSizes: readonly number[];
  /** Runs per minimal-pod case (the targets: more runs than the other cases). */
  readonly minimalReps: number;
  /** Runs per `require` case (each a fraction of a second). */
  readonly requireReps: number;
}

// ---- the pods ---------------------------------------------------------------------------------------

const NAMESPACE = 'bench';

/** Where the benchmark builds the library for the `require` cases (as `npm run build`: tsc, then scripts/bundle.ts). */
export const LIB_DIR = path.resolve(__dirname, '..', '.bench', 'lib');

/** The image of pod `i`: pinned, 50 different ones. */
function pinnedImage(i: number): string {
  return `registry.example.com/team/app-${i % 50}:1.${i % 10}.0`;
}

/** The minimal pods of the issue: one container, a pinned image, nothing else. */
const MINIMAL_FACTORIES: Readonly<Record<string, (chart: Chart, i: number) => void>> = {
  SafePod: (chart, i) => {
    new SafePod(chart, `pod-${i}`, { containers: [{ image: pinnedImage(i) }] });
  },
  'kplus.Pod': (chart, i) => {
    new kplus.Pod(chart, `pod-${i}`, { containers: [{ image: pinnedImage(i) }] });
  },
  'kplus.k8s.KubePod': (chart, i) => {
    new kplus.k8s.KubePod(chart, `pod-${i}`, { spec: { containers: [{ name: 'main', image: pinnedImage(i) }] } });
  },
};

/** An app with one chart holding `pods` minimal pods of `variant`. */
export function buildMinimalApp(variant: string, pods: number): App {
  const factory = MINIMAL_FACTORIES[variant];
  if (!factory) throw new Error(`unknown pod variant ${JSON.stringify(variant)}; use one of ${Object.keys(MINIMAL_FACTORIES).join(', ')}`);
  const app = new App();
  const chart = new Chart(app, 'bench', { namespace: NAMESPACE });
  for (let i = 0; i < pods; i++) factory(chart, i);
  return app;
}

/** The same container for every variant: a pinned image, one port, two env vars. */
function containerProps(i: number): kplus.ContainerProps {
  return {
    name: 'main',
    image: pinnedImage(i),
    portNumber: 8080,
    envVariables: {
      LOG_LEVEL: kplus.EnvValue.fromValue('info'),
      APP_ID: kplus.EnvValue.fromValue(`app-${i}`),
    },
  };
}

/**
 * The raw L1 spec: exactly what `kplus.Pod` writes for `containerProps(i)` (its secure defaults, resources and
 * startup probe included), plus the explicit pull policy and `enableServiceLinks` of SafePod, so the three
 * variants write the same amount of YAML.
 */
function kubePodSpec(i: number): kplus.k8s.PodSpec {
  return {
    automountServiceAccountToken: false,
    containers: [
      {
        name: 'main',
        image: pinnedImage(i),
        imagePullPolicy: 'IfNotPresent',
        env: [
          { name: 'LOG_LEVEL', value: 'info' },
          { name: 'APP_ID', value: `app-${i}` },
        ],
        ports: [{ containerPort: 8080 }],
        resources: {
          limits: { cpu: kplus.k8s.Quantity.fromString('1500m'), memory: kplus.k8s.Quantity.fromString('2048Mi') },
          requests: { cpu: kplus.k8s.Quantity.fromString('1000m'), memory: kplus.k8s.Quantity.fromString('512Mi') },
        },
        securityContext: { allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, runAsNonRoot: true },
        startupProbe: { failureThreshold: 3, tcpSocket: { port: kplus.k8s.IntOrString.fromNumber(8080) } },
      },
    ],
    dnsPolicy: 'ClusterFirst',
    enableServiceLinks: false,
    hostNetwork: false,
    restartPolicy: 'Always',
    securityContext: { fsGroupChangePolicy: 'Always', runAsNonRoot: true },
    setHostnameAsFqdn: false,
    terminationGracePeriodSeconds: 30,
  };
}

type PodFactory = (chart: Chart, i: number, serviceLinks: boolean) => void;

const POD_FACTORIES: Readonly<Record<string, PodFactory>> = {
  SafePod: (chart, i, serviceLinks) => {
    new SafePod(chart, `pod-${i}`, { containers: [containerProps(i)], enableServiceLinks: serviceLinks });
  },
  'kplus.Pod': (chart, i) => {
    new kplus.Pod(chart, `pod-${i}`, { containers: [containerProps(i)] });
  },
  'kplus.k8s.KubePod': (chart, i) => {
    new kplus.k8s.KubePod(chart, `pod-${i}`, { spec: kubePodSpec(i) });
  },
};

/** An app with one chart holding `pods` pods of `variant` and `services` Services (links on when there are any). */
export function buildApp(variant: string, pods: number, services: number, outdir?: string): App {
  const factory = POD_FACTORIES[variant];
  if (!factory) throw new Error(`unknown pod variant ${JSON.stringify(variant)}; use one of ${Object.keys(POD_FACTORIES).join(', ')}`);
  const app = new App(outdir ? { outdir } : {});
  const chart = new Chart(app, 'bench', { namespace: NAMESPACE });
  for (let s = 0; s < services; s++) {
    new kplus.Service(chart, `svc-${s}`, {
      ports: [
        { name: 'http', port: 80, targetPort: 8080 },
        { name: 'metrics', port: 9090 },
      ],
    });
  }
  for (let i = 0; i < pods; i++) factory(chart, i, services > 0);
  return app;
}

/** Prepares the input of a check case in `dir`: the files `cdk8s synth` would write, or copies of a real manifest. */
export function synthInput(spec: InputSpec, dir: string): string[] {
  fs.rmSync(dir, { recursive: true, force: true });
  if (spec.corpus) {
    fs.mkdirSync(dir, { recursive: true });
    const text = fs.readFileSync(path.join(__dirname, 'fixtures', spec.corpus.file), 'utf8');
    const copy = text.startsWith('---') ? text : `---\n${text}`;
    fs.writeFileSync(path.join(dir, `${path.basename(spec.corpus.file, '.yaml')}-x${spec.corpus.copies}.yaml`), copy.repeat(spec.corpus.copies));
    return yamlFiles(dir);
  }
  buildApp('SafePod', spec.pods, spec.services, dir).synth();
  return yamlFiles(dir);
}

/** The `.yaml` files of a directory, sorted. */
export function yamlFiles(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => path.join(dir, f));
}

/**
 * Reads and parses every document of every file to plain JS objects with `js-yaml` `loadAll` (the fastest correct
 * parser measured, issue 16): what any checker of YAML must do first.
 */
export function parseFiles(files: readonly string[]): unknown[] {
  const objects: unknown[] = [];
  for (const file of files) for (const doc of loadAll(fs.readFileSync(file, 'utf8'))) objects.push(doc);
  return objects;
}

// ---- the cases --------------------------------------------------------------------------------------

function minimalCase(variant: string, pods: number, o: CaseOptions): BenchCase {
  return {
    id: `minimal/${variant}/${pods}`,
    group: CaseGroup.MINIMAL,
    variant,
    pods,
    services: 0,
    reps: o.minimalReps,
    prepare: () => () => buildMinimalApp(variant, pods).synthYaml(),
  };
}

/**
 * The child of a `require` case: times `require(target)` in a process that has loaded nothing else, and prints the
 * sample; `outputSize` is the number of modules loaded (the same in every run).
 */
const REQUIRE_CHILD = [
  "const { performance } = require('perf_hooks');",
  'const rssBeforeKiB = Math.round(process.memoryUsage().rss / 1024);',
  'const cpu0 = process.cpuUsage();',
  'const t0 = performance.now();',
  'require(process.argv[1]);',
  'const ms = performance.now() - t0;',
  'const cpu = process.cpuUsage(cpu0);',
  'const sample = { ms, cpuMs: (cpu.user + cpu.system) / 1000, rssBeforeKiB, maxRssKiB: process.resourceUsage().maxRSS, outputSize: Object.keys(require.cache).length };',
  'process.stdout.write(JSON.stringify(sample));',
].join('\n');

/** Variants of the require series, in report order: this package first, the baseline second. */
export const REQUIRE_VARIANTS: Readonly<Record<string, string>> = {
  'cdk8s-safe-pods': path.join(LIB_DIR, 'index.js'),
  'cdk8s-plus-27': 'cdk8s-plus-27',
};

function requireCase(variant: string, o: CaseOptions): BenchCase {
  return {
    id: `require/${variant}`,
    group: CaseGroup.REQUIRE,
    variant: `require('${variant}')`,
    pods: 0,
    services: 0,
    reps: o.requireReps,
    spawn: ['-e', REQUIRE_CHILD, REQUIRE_VARIANTS[variant]],
    needsLib: variant === 'cdk8s-safe-pods',
  };
}

function synthCase(variant: string, pods: number, o: CaseOptions): BenchCase {
  return {
    id: `synth/${variant}/${pods}`,
    group: CaseGroup.SYNTH,
    variant,
    pods,
    services: 0,
    reps: pods >= o.bigThreshold ? o.bigReps : o.reps,
    prepare: () => () => buildApp(variant, pods, 0).synthYaml(),
  };
}

function servicesCase(pods: number, services: number, o: CaseOptions): BenchCase {
  return {
    id: `services/SafePod/${pods}+${services}`,
    group: CaseGroup.SERVICES,
    variant: 'SafePod + Services, links on',
    pods,
    services,
    reps: pods >= o.bigThreshold ? o.bigReps : o.reps,
    prepare: () => () => buildApp('SafePod', pods, services).synthYaml(),
  };
}

function inputOf(pods: number, services: number): InputSpec {
  return { id: `safepods-${pods}-services-${services}`, pods, services };
}

/** Baseline of the CLI case: read and parse the same files, nothing else. */
function yamlParseCase(pods: number, services: number, o: CaseOptions): BenchCase {
  return {
    id: `check/yaml-parse/${pods}+${services}`,
    group: CaseGroup.CHECK,
    variant: 'plain YAML parse (js-yaml)',
    pods,
    services,
    reps: pods >= o.bigThreshold ? o.bigReps : o.reps,
    input: inputOf(pods, services),
    prepare: (dir) => {
      const files = yamlFiles(dir!);
      return () => parseFiles(files);
    },
  };
}

/**
 * The CLI checker over the resulting YAML, exactly as `cdk8s-safe-pods check --format json <dir>` runs it: find the
 * files, read and parse them (with line positions), judge every object with the real rule catalogue, and format
 * the report (written nowhere). Compared with the plain YAML parse of the same files.
 */
function cliCheckCase(pods: number, services: number, o: CaseOptions): BenchCase {
  return {
    id: `check/cli-check/${pods}+${services}`,
    group: CaseGroup.CHECK,
    variant: 'CLI check',
    pods,
    services,
    reps: pods >= o.bigThreshold ? o.bigReps : o.reps,
    input: inputOf(pods, services),
    prepare: (dir) => {
      const quiet = { stdout: (): void => undefined, stderr: (): void => undefined };
      return () => runCli(['check', '--format', 'json', '--kubernetes-version', '1.27', dir!], quiet);
    },
  };
}

/** The corpus of the whole-process reading cases: ten copies of Argo CD's HA install (20 MB, 700 objects). */
export const READ_CORPUS: InputSpec = { id: 'argo-cd-ha-x10', pods: 0, services: 0, corpus: { file: 'argo-cd-ha-install.yaml', copies: 10 } };

/** `js-yaml` `loadAll` of the corpus and nothing else, as a whole process: the baseline of issue 16. */
function readBaselineCase(input: InputSpec, o: CaseOptions): BenchCase {
  return {
    id: `read/js-yaml/${input.id}`,
    group: CaseGroup.READ,
    variant: 'js-yaml loadAll (whole process)',
    pods: input.pods,
    services: input.services,
    reps: o.reps,
    input,
    process: (dir) => ({ args: [path.join(__dirname, 'js-yaml-load.js'), dir] }),
  };
}

/** `cdk8s-safe-pods check --format json` of the corpus, as a whole process (the output goes to a pipe). */
function readCliCase(input: InputSpec, o: CaseOptions): BenchCase {
  return {
    id: `read/cli/${input.id}`,
    group: CaseGroup.READ,
    variant: 'cdk8s-safe-pods check --format json (whole process)',
    pods: input.pods,
    services: input.services,
    reps: o.reps,
    input,
    process: (dir, cli) => ({ args: [cli, 'check', '--format', 'json', dir] }),
  };
}

/** The inputs of the whole-process reading cases: the real corpus, and the largest synthesized one. */
export function readInputs(o: CaseOptions): InputSpec[] {
  const [pods, services] = o.serviceSizes[o.serviceSizes.length - 1];
  return [READ_CORPUS, inputOf(pods, services)];
}

/** Pod variants of the synthesis series, in report order; the first two are compared. */
export const SYNTH_VARIANTS: readonly string[] = ['SafePod', 'kplus.Pod', 'kplus.k8s.KubePod'];

/** Every case of a run. */
export function casesFor(o: CaseOptions): BenchCase[] {
  const cases: BenchCase[] = [];
  for (const pods of o.minimalSizes) for (const variant of SYNTH_VARIANTS) cases.push(minimalCase(variant, pods, o));
  for (const variant of Object.keys(REQUIRE_VARIANTS)) cases.push(requireCase(variant, o));
  for (const pods of o.sizes) for (const variant of SYNTH_VARIANTS) cases.push(synthCase(variant, pods, o));
  for (const [pods, services] of o.serviceSizes) cases.push(servicesCase(pods, services, o));
  for (const [pods, services] of o.serviceSizes) {
    cases.push(yamlParseCase(pods, services, o));
    cases.push(cliCheckCase(pods, services, o));
  }
  cases.push(...workloadCases(o));
  for (const input of readInputs(o)) {
    cases.push(readBaselineCase(input, o));
    cases.push(readCliCase(input, o));
  }
  return cases;
}
