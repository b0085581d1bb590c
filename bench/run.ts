/**
 * `npm run bench`: synthesis and check benchmarks, every run of every case in a fresh child process.
 *
 *   npm run bench                 full run; writes BENCHMARKS.md and prints it
 *   npm run bench -- --quick      small N, one run each; writes .bench/BENCHMARKS.quick.md (for development)
 *   npm run bench -- --only synth run only the cases whose id contains "synth" (combine with --quick)
 *   npm run bench -- --reps 2     this many runs of every case
 * Every option but none writes .bench/BENCHMARKS.quick.md instead of BENCHMARKS.md.
 *
 * Runs are interleaved (round 1 of every case, then round 2, ...) so a load change on the machine hits every case
 * alike, and the ratios stay meaningful even when the absolute times move.
 */
import { execFile, fork, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { RULES } from '../src/rules/catalogue';
import type { BenchCase, CaseOptions, InputSpec } from './cases';
import { casesFor, LIB_DIR, READ_CORPUS, readInputs, REQUIRE_VARIANTS, synthInput, SYNTH_VARIANTS } from './cases';
import { nodePath, transpileSources } from './transpile';
import { WORKLOAD_MEASURED, WORKLOAD_TARGETS } from './workload-cases';

const ROOT = path.resolve(__dirname, '..');
const INPUT_ROOT = path.join(ROOT, '.bench', 'input');

const FULL: CaseOptions = {
  sizes: [100, 1000, 5000],
  serviceSizes: [
    [1000, 100],
    [5000, 500],
  ],
  reps: 7,
  bigReps: 5,
  bigThreshold: 5000,
  minimalSizes: [2000, 5000],
  minimalReps: 9,
  requireReps: 21,
};

const QUICK: CaseOptions = {
  sizes: [100, 500],
  serviceSizes: [
    [100, 10],
    [500, 50],
  ],
  reps: 1,
  bigReps: 1,
  bigThreshold: 500,
  minimalSizes: [200, 500],
  minimalReps: 1,
  requireReps: 3,
};

/** Targets of the issue (issue 10, item 7). */
const TARGETS = {
  /** SafePod within this factor of kplus.Pod, minimal pods, at every N of the series. */
  safePodOverPod: 1.15,
  /** `require` of the main entry within this factor of `require('cdk8s-plus-27')`. */
  requireOverKplus: 1.1,
  /** Largest N over the one before (5 000 / 1 000): at most this factor (5× is linear). */
  linear: 5.5,
  /** Whole-process CLI check of the large corpus over `js-yaml` `loadAll` of it: wall time and peak RSS (issue 16). */
  readOverJsYaml: 1.5,
};

/** kubeconform's published figure (README, "Speed"): 50 714 resources in 35 139 files in 6.7 s on 4 cores. */
const KUBECONFORM = { resources: 50_714, files: 35_139, seconds: 6.7, cores: 4 };

/** What one child reports. */
interface Sample {
  /** Wall time of the timed work, in milliseconds. */
  readonly ms: number;
  /** CPU time (user + system, every thread of the process, GC included) of the timed work, in milliseconds. */
  readonly cpuMs: number;
  /** Resident set size just before the timed work (the process with every module loaded), KiB. */
  readonly rssBeforeKiB: number;
  /** Peak resident set size of the whole child process (getrusage ru_maxrss), KiB. */
  readonly maxRssKiB: number;
  /** Size of what the work returned (characters of YAML or objects), to check that the runs did the same work. */
  readonly outputSize: number;
  /**
   * Objects the run read (whole-process cases: the documents `js-yaml` loaded, the objects the CLI checked).
   *
   * @default - not counted
   */
  readonly objects?: number;
}

interface Result {
  readonly c: BenchCase;
  readonly samples: Sample[];
  readonly skipped?: string;
}

// ---- child --------------------------------------------------------------------------------------

function sizeOf(x: unknown): number {
  if (typeof x === 'string') return x.length;
  if (Array.isArray(x)) return x.length;
  return x === undefined ? 0 : 1;
}

async function child(options: CaseOptions, id: string, inputDir: string | undefined): Promise<void> {
  const c = casesFor(options).find((x) => x.id === id);
  if (!c || !c.prepare) throw new Error(`no case ${JSON.stringify(id)} to run in a ts-node child`);
  const work = c.prepare(inputDir);
  const rssBeforeKiB = Math.round(process.memoryUsage().rss / 1024);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const out = await work(); // a checker may be async: its promise is awaited inside the timed section
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const sample: Sample = {
    ms,
    cpuMs: (cpu.user + cpu.system) / 1000,
    rssBeforeKiB,
    maxRssKiB: process.resourceUsage().maxRSS,
    outputSize: sizeOf(out),
  };
  process.send!(sample);
}

function childPrepare(spec: InputSpec, dir: string): void {
  const files = synthInput(spec, dir);
  process.send!({ files: files.length });
}

// ---- parent -------------------------------------------------------------------------------------

function runChild(args: string[], options: CaseOptions): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let message: unknown;
    const cp = fork(__filename, args, {
      cwd: ROOT,
      execArgv: ['-r', 'ts-node/register/transpile-only'],
      env: { ...process.env, BENCH_OPTIONS: JSON.stringify(options), TS_NODE_TRANSPILE_ONLY: 'true' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    cp.on('message', (m) => (message = m));
    cp.on('error', reject);
    cp.on('exit', (code, signal) => {
      if (code === 0 && message !== undefined) resolve(message);
      else reject(new Error(`child ${args.join(' ')} failed (exit ${code ?? signal})`));
    });
  });
}

/** Runs a whole-process case: `node -r bench/report-usage.js <args>`, timed from here, its usage reported by itself. */
function runProcess(c: BenchCase, inputDir: string, cli: string): Promise<Sample> {
  const usageFile = path.join(ROOT, '.bench', `usage-${process.pid}.json`);
  fs.rmSync(usageFile, { force: true });
  const { args } = c.process!(inputDir, cli);
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['-r', path.join(__dirname, 'report-usage.js'), ...args], {
      cwd: ROOT,
      env: { ...process.env, NODE_PATH: nodePath(), BENCH_USAGE_FILE: usageFile },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const out: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const ms = performance.now() - t0;
      if (signal !== null || code === null || code > 1) {
        reject(new Error(`${c.id}: node ${args.join(' ')} ended with ${signal ?? `exit ${code}`}`));
        return;
      }
      const usage = JSON.parse(fs.readFileSync(usageFile, 'utf8')) as { maxRssKiB: number; cpuMs: number; rssAtStartKiB: number };
      const stdout = Buffer.concat(out).toString('utf8');
      const objects = stdout.startsWith('{') ? (JSON.parse(stdout) as { summary: { objects: number } }).summary.objects : Number(stdout.trim());
      resolve({ ms, cpuMs: usage.cpuMs, rssBeforeKiB: usage.rssAtStartKiB, maxRssKiB: usage.maxRssKiB, outputSize: stdout.length, objects });
    });
  });
}

/** Runs a `spawn` case: a plain `node` process that prints its sample as JSON. */
function runSpawn(args: readonly string[]): Promise<Sample> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [...args], { cwd: ROOT, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error) reject(new Error(`node ${args[0]} ... failed: ${error.message}\n${stderr}`));
      else resolve(JSON.parse(stdout) as Sample);
    });
  });
}

/**
 * Builds the library into `LIB_DIR` exactly as `npm run build` does (`tsc -p tsconfig.build.json`, then
 * `scripts/bundle.ts`), for the require cases.
 */
function buildLib(): void {
  fs.rmSync(LIB_DIR, { recursive: true, force: true });
  const steps: ReadonlyArray<readonly string[]> = [
    [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', LIB_DIR],
    ['-r', 'ts-node/register/transpile-only', path.join('scripts', 'bundle.ts'), LIB_DIR],
  ];
  for (const args of steps) {
    const r = spawnSync(process.execPath, [...args], { cwd: ROOT, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`building the library for the require cases failed:\n${r.stdout}${r.stderr}`);
  }
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const fmtMs = (ms: number): string => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));
const fmtMiB = (kib: number): string => (kib / 1024).toFixed(0);
const fmtN = (n: number): string => n.toLocaleString('en-US').replace(/,/g, ' ');
const fmtRatio = (r: number): string => `${r.toFixed(2)}×`;

function gitCommit(): string {
  const r = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' });
  const dirty = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT, encoding: 'utf8' });
  return r.status === 0 ? `${r.stdout.trim()}${dirty.stdout.trim() ? ' (with uncommitted changes)' : ''}` : 'unknown';
}

interface Check {
  readonly name: string;
  readonly value?: number;
  readonly cpu?: number;
  readonly limit: number;
  readonly note?: string;
}

/** How much the runs of a case spread, as fractions of the median: max − min, and the interquartile range. */
function noiseLine(results: readonly Result[]): string {
  const quantile = (sorted: readonly number[], q: number): number => {
    const at = (sorted.length - 1) * q;
    const lo = Math.floor(at);
    return sorted[lo] + (sorted[Math.min(lo + 1, sorted.length - 1)] - sorted[lo]) * (at - lo);
  };
  const spreads = (of: (s: Sample) => number): { range: number; iqr: number } => {
    const all = results.filter((r) => r.samples.length >= 4);
    const range = all.map((r) => {
      const xs = r.samples.map(of);
      return (Math.max(...xs) - Math.min(...xs)) / median(xs);
    });
    const iqr = all.map((r) => {
      const xs = r.samples.map(of).sort((a, b) => a - b);
      return (quantile(xs, 0.75) - quantile(xs, 0.25)) / median(xs);
    });
    return { range: median(range), iqr: median(iqr) };
  };
  if (!results.some((r) => r.samples.length >= 4)) return 'too few runs per case to tell';
  const pct = (x: number): string => `${(x * 100).toFixed(0)} %`;
  const wall = spreads((s) => s.ms);
  const cpu = spreads((s) => s.cpuMs);
  return (
    `in the median case, the middle half of a case's runs spans ${pct(wall.iqr)} of its median wall time (${pct(cpu.iqr)} of its CPU time), ` +
    `and all its runs ${pct(wall.range)} (${pct(cpu.range)}): a ratio between two cases moves by a few percent from one full run to the next`
  );
}

function report(results: Result[], options: CaseOptions, env: { start: Date; commit: string; seconds: number; load: [number[], number[]] }): string {
  const byId = new Map(results.map((r) => [r.c.id, r]));
  const medOf = (id: string, of: (s: Sample) => number): number | undefined => {
    const r = byId.get(id);
    return r && r.samples.length > 0 ? median(r.samples.map(of)) : undefined;
  };
  const med = (id: string): number | undefined => medOf(id, (s) => s.ms);
  const medCpu = (id: string): number | undefined => medOf(id, (s) => s.cpuMs);
  const lines: string[] = [];
  lines.push('# Benchmarks', '');
  lines.push(
    'Generated by `npm run bench` (`bench/run.ts`, cases in `bench/cases.ts`); not part of `npm test`. Times are the',
    'median wall time of the timed work over fresh processes; compare the **ratios**, which are what the targets',
    'are about: absolute times depend on the machine and its load.',
    '',
  );

  // -- results table
  lines.push('## Results', '');
  lines.push('| case | pods | Services | runs | median wall ms | min–max wall ms | median CPU ms | peak RSS MiB | RSS before work MiB |');
  lines.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of results) {
    const label = `${r.c.group}: ${r.c.variant}`;
    if (r.skipped) {
      lines.push(`| ${label} | ${fmtN(r.c.pods)} | ${fmtN(r.c.services)} | 0 | skipped: ${r.skipped} | | | | |`);
      continue;
    }
    const ms = r.samples.map((s) => s.ms);
    lines.push(
      `| ${label} | ${fmtN(r.c.pods)} | ${fmtN(r.c.services)} | ${ms.length} | ${fmtMs(median(ms))} | ${fmtMs(Math.min(...ms))}–${fmtMs(Math.max(...ms))} | ` +
        `${fmtMs(median(r.samples.map((s) => s.cpuMs)))} | ${fmtMiB(median(r.samples.map((s) => s.maxRssKiB)))} | ${fmtMiB(median(r.samples.map((s) => s.rssBeforeKiB)))} |`,
    );
  }
  lines.push('');

  // -- ratios and targets
  const sizes = options.sizes;
  const big = sizes[sizes.length - 1];
  const prev = sizes[sizes.length - 2];
  const [svcPrev, svcBig] = options.serviceSizes.slice(-2);
  const svcId = ([p, s]: readonly [number, number]): string => `${p}+${s}`;
  const ratio = (a?: number, b?: number): number | undefined => (a !== undefined && b !== undefined ? a / b : undefined);
  const both = (a: string, b: string): { value?: number; cpu?: number } => ({ value: ratio(med(a), med(b)), cpu: ratio(medCpu(a), medCpu(b)) });

  lines.push('## Ratios', '');
  // -- the issue's shape: minimal pods
  const minSizes = options.minimalSizes;
  const minId = (variant: string, n: number): string => `minimal/${variant}/${n}`;
  lines.push('Minimal pods (one container, a pinned image, nothing else; the targets):', '');
  lines.push('| ratio | ' + minSizes.map(fmtN).join(' | ') + ' |');
  lines.push('| --- | ' + minSizes.map(() => '---:').join(' | ') + ' |');
  const minRow = (name: string, a: string, b: string, m = med): void => {
    const cells = minSizes.map((n) => {
      const r = ratio(m(minId(a, n)), m(minId(b, n)));
      return r === undefined ? '–' : fmtRatio(r);
    });
    lines.push(`| ${name} | ${cells.join(' | ')} |`);
  };
  minRow('SafePod / kplus.Pod', 'SafePod', 'kplus.Pod');
  minRow('SafePod / kplus.Pod, CPU time', 'SafePod', 'kplus.Pod', medCpu);
  minRow('kplus.Pod / kplus.k8s.KubePod', 'kplus.Pod', 'kplus.k8s.KubePod');
  minRow('SafePod / kplus.k8s.KubePod', 'SafePod', 'kplus.k8s.KubePod');
  minRow('SafePod / kplus.k8s.KubePod, CPU time', 'SafePod', 'kplus.k8s.KubePod', medCpu);
  lines.push('');
  const [ours, baseline] = Object.keys(REQUIRE_VARIANTS);
  const requireRatio = both(`require/${ours}`, `require/${baseline}`);
  lines.push('`require` of the main entry (`lib/index.js` as `npm run build` writes it: a shim over the core bundle) in a fresh process:', '');
  lines.push('| ratio | wall time | CPU time |', '| --- | ---: | ---: |');
  lines.push(
    `| require('${ours}') / require('${baseline}') | ${requireRatio.value === undefined ? '–' : fmtRatio(requireRatio.value)} | ` +
      `${requireRatio.cpu === undefined ? '–' : fmtRatio(requireRatio.cpu)} |`,
  );
  lines.push('');
  lines.push('Richer pods (one port, two env vars; the synth series of the Results table):', '');
  lines.push('| ratio | ' + sizes.map(fmtN).join(' | ') + ' |');
  lines.push('| --- | ' + sizes.map(() => '---:').join(' | ') + ' |');
  const ratioRow = (name: string, a: string, b: string, m = med): void => {
    const cells = sizes.map((n) => {
      const r = ratio(m(`synth/${a}/${n}`), m(`synth/${b}/${n}`));
      return r === undefined ? '–' : fmtRatio(r);
    });
    lines.push(`| ${name} | ${cells.join(' | ')} |`);
  };
  ratioRow('SafePod / kplus.Pod', 'SafePod', 'kplus.Pod');
  ratioRow('SafePod / kplus.Pod, CPU time', 'SafePod', 'kplus.Pod', medCpu);
  ratioRow('kplus.Pod / kplus.k8s.KubePod', 'kplus.Pod', 'kplus.k8s.KubePod');
  ratioRow('SafePod / kplus.k8s.KubePod', 'SafePod', 'kplus.k8s.KubePod');
  lines.push('');
  lines.push('| ratio | ' + options.serviceSizes.map((x) => `${fmtN(x[0])} pods + ${fmtN(x[1])} Services`).join(' | ') + ' |');
  lines.push('| --- | ' + options.serviceSizes.map(() => '---:').join(' | ') + ' |');
  const svcRow = (name: string, a: (x: readonly [number, number]) => string, b: (x: readonly [number, number]) => string): void => {
    const cells = options.serviceSizes.map((x) => {
      const r = ratio(med(a(x)), med(b(x)));
      return r === undefined ? '–' : fmtRatio(r);
    });
    lines.push(`| ${name} | ${cells.join(' | ')} |`);
  };
  svcRow(
    'CLI check / plain YAML parse',
    (x) => `check/cli-check/${svcId(x)}`,
    (x) => `check/yaml-parse/${svcId(x)}`,
  );
  svcRow(
    'SafePods + Services (links on) / SafePods alone',
    (x) => `services/SafePod/${svcId(x)}`,
    (x) => `synth/SafePod/${x[0]}`,
  );
  lines.push('');

  // -- whole processes on a large corpus
  const readRows = readInputs(options).filter((input) => byId.has(`read/cli/${input.id}`));
  if (readRows.length > 0) {
    lines.push('### Reading a large corpus: whole processes', '');
    lines.push(
      '| input | objects | js-yaml wall ms | CLI wall ms | wall ratio | CPU ratio | js-yaml peak RSS MiB | CLI peak RSS MiB | RSS ratio | CLI objects / s (one core) |',
    );
    lines.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const input of readRows) {
      const base = `read/js-yaml/${input.id}`;
      const cli = `read/cli/${input.id}`;
      const objects = byId.get(cli)?.samples[0]?.objects;
      const rss = (id: string): number | undefined => medOf(id, (x) => x.maxRssKiB);
      const cells = [
        input.corpus
          ? `${input.corpus.copies} × ${input.corpus.file}`
          : `${fmtN(input.pods)} SafePods + ${fmtN(input.services)} Services (synthesized)`,
        objects === undefined ? '–' : fmtN(objects),
        med(base) === undefined ? '–' : fmtMs(med(base)!),
        med(cli) === undefined ? '–' : fmtMs(med(cli)!),
        ratio(med(cli), med(base)) === undefined ? '–' : fmtRatio(ratio(med(cli), med(base))!),
        ratio(medCpu(cli), medCpu(base)) === undefined ? '–' : fmtRatio(ratio(medCpu(cli), medCpu(base))!),
        rss(base) === undefined ? '–' : fmtMiB(rss(base)!),
        rss(cli) === undefined ? '–' : fmtMiB(rss(cli)!),
        ratio(rss(cli), rss(base)) === undefined ? '–' : fmtRatio(ratio(rss(cli), rss(base))!),
        objects === undefined || med(cli) === undefined ? '–' : fmtN(Math.round(objects / (med(cli)! / 1000))),
      ];
      lines.push(`| ${cells.join(' | ')} |`);
    }
    const perCore = KUBECONFORM.resources / KUBECONFORM.seconds / KUBECONFORM.cores;
    lines.push(
      '',
      `For comparison, kubeconform publishes ${fmtN(KUBECONFORM.resources)} resources in ${fmtN(KUBECONFORM.files)} files in ${KUBECONFORM.seconds} s on ${KUBECONFORM.cores} cores:`,
      `${fmtN(Math.round(perCore))} resources per second per core (validation against JSON schemas, whole process, its own machine). The CLI runs on`,
      'one core (Node). Its rate depends on the size of the objects: the Argo CD corpus averages 28 KB per object (CRDs with',
      'large schemas), the synthesized one about 1 KB.',
      '',
    );
  }

  const checks: Check[] = [
    ...minSizes.map((n) => ({
      name: `SafePod / kplus.Pod, minimal pods, N = ${fmtN(n)}`,
      ...both(minId('SafePod', n), minId('kplus.Pod', n)),
      limit: TARGETS.safePodOverPod,
    })),
    { name: `require('${ours}') / require('${baseline}')`, ...requireRatio, limit: TARGETS.requireOverKplus },
    ...SYNTH_VARIANTS.map((v) => ({
      name: `${v}: N = ${fmtN(big)} / N = ${fmtN(prev)} (linear in pods)`,
      ...both(`synth/${v}/${big}`, `synth/${v}/${prev}`),
      limit: TARGETS.linear,
    })),
    {
      name: `SafePods + Services: ${svcId(svcBig)} / ${svcId(svcPrev)} (synth with checks linear in pods + Services)`,
      ...both(`services/SafePod/${svcId(svcBig)}`, `services/SafePod/${svcId(svcPrev)}`),
      limit: TARGETS.linear,
    },
    ...(byId.has(`read/cli/${READ_CORPUS.id}`)
      ? [
          {
            name: `CLI check of ${READ_CORPUS.corpus!.copies} × ${READ_CORPUS.corpus!.file} / js-yaml loadAll of it, whole processes: wall time`,
            ...both(`read/cli/${READ_CORPUS.id}`, `read/js-yaml/${READ_CORPUS.id}`),
            limit: TARGETS.readOverJsYaml,
          },
          {
            name: `the same: peak RSS (ratio in the wall-time column)`,
            value: ratio(
              medOf(`read/cli/${READ_CORPUS.id}`, (x) => x.maxRssKiB),
              medOf(`read/js-yaml/${READ_CORPUS.id}`, (x) => x.maxRssKiB),
            ),
            limit: TARGETS.readOverJsYaml,
          },
        ]
      : []),
    {
      name: `CLI check: ${svcId(svcBig)} / ${svcId(svcPrev)} (linear in pods + Services)`,
      ...both(`check/cli-check/${svcId(svcBig)}`, `check/cli-check/${svcId(svcPrev)}`),
      limit: TARGETS.linear,
      note: byId.get(`check/cli-check/${svcId(svcBig)}`)?.skipped,
    },
    ...WORKLOAD_TARGETS.map((t) => ({ name: t.name, ...both(t.a, t.b), limit: t.limit })),
  ];
  lines.push('## Targets', '');
  lines.push(
    'The targets are on median wall time; the same ratio in CPU time (user + system of the child during the work) is',
    'shown beside it, because other jobs sharing the CPUs inflate wall time but hardly CPU time. CPU time counts every',
    "thread of the process, V8's background compiler and garbage-collector threads included, so it can exceed wall time.",
    '',
  );
  lines.push('| target | wall-time ratio | CPU-time ratio | limit | holds (wall) | holds (CPU) |');
  lines.push('| --- | ---: | ---: | ---: | --- | --- |');
  const verdict = (v: number | undefined, limit: number, note?: string): string =>
    v === undefined ? (note ? `not measured (${note})` : '–') : v <= limit ? 'yes' : '**NO**';
  for (const c of checks) {
    lines.push(
      `| ${c.name} | ${c.value === undefined ? '–' : fmtRatio(c.value)} | ${c.cpu === undefined ? '–' : fmtRatio(c.cpu)} | ≤ ${fmtRatio(c.limit)} | ` +
        `${verdict(c.value, c.limit, c.note)} | ${verdict(c.cpu, c.limit)} |`,
    );
  }
  lines.push('');

  // -- method and environment
  lines.push(
    '## What is measured',
    '',
    "- **minimal** (the issue's shape, and the targets): N pods, each one container with a pinned image and nothing else",
    '  (`{ containers: [{ image }] }` for `SafePod` and `kplus.Pod`, `{ spec: { containers: [{ name, image }] } }` for',
    '  `kplus.k8s.KubePod`), in one chart, synthesized with `app.synthYaml()`. `kplus.Pod` writes its secure defaults',
    '  (security contexts, resources, pull policy `Always`); `SafePod` writes the same plus `imagePullPolicy: IfNotPresent`',
    '  and `enableServiceLinks: false`, and judges every pod at synth; the L1 writes what it is given (a fifth of the YAML).',
    '- **require**: `require()` of the built main entry (`npm run build`: `tsc -p tsconfig.build.json`, then',
    '  `scripts/bundle.ts`, which puts what the main entry loads into one file; into `.bench/lib/`, removed after the',
    "  run) against `require('cdk8s-plus-27')`, each in a fresh plain `node` process that loads nothing else first (no",
    '  ts-node). The main entry loads cdk8s-plus-27 (and cdk8s) itself, so the ratio is 1 + what this package adds.',
    '- **synth**: construct one chart (namespace `bench`) with N pods and synthesize the app with `app.synthYaml()` — the',
    '  same call for all three variants; it runs cdk8s validation (where SafePod judges every pod) and writes YAML. Every',
    '  pod has the same container: a pinned image, one port, two env vars. `kplus.k8s.KubePod` gets exactly the spec',
    '  `kplus.Pod` writes (its secure defaults, resources, startup probe) plus the explicit pull policy and',
    '  `enableServiceLinks` of SafePod, so the three variants write the same YAML apart from names.',
    '- **services**: N SafePods with `enableServiceLinks: true` next to N/10 `kplus.Service`s (two ports each) in the same',
    '  namespace, synthesized the same way: the service-link collision and env checks run over whatever `RULES`',
    '  contains when the benchmark runs.',
    '- **check**: the YAML that `app.synth()` writes for the services input, synthesized once per benchmark run into',
    '  `.bench/input/`. *plain YAML parse* reads the files and turns every document into a JS object with `js-yaml`',
    '  `loadAll` (the fastest correct parser, issue 16), the least any checker of YAML files must do; *CLI check* runs',
    "  `runCli(['check', '--format', 'json', dir])` in the child: find, read, parse (src/io), judge every object with the",
    '  rule catalogue and format the report, so the ratio is the cost of the checks on top of reading the files.',
    '- **read**: whole processes, timed from outside from start to exit (Node start-up and module loading included),',
    '  alternately: `node bench/js-yaml-load.js <input>` (read the files and `loadAll` them, nothing else) and the CLI,',
    '  `node <src transpiled by swc>/cli/main.js check --format json <input>`, its output read through a pipe. Inputs: ten',
    "  concatenated copies of Argo CD's HA install manifest (bench/fixtures/, 20 MB, 700 objects; generated into",
    '  `.bench/input/` each run, never committed) and the largest synthesized check input. Peak RSS and CPU time are',
    '  reported by each process itself at exit (`-r bench/report-usage.js`, the same for both).',
    WORKLOAD_MEASURED,
    '',
    '**Isolation and timing.** Every run of every case is a fresh `node -r ts-node/register/transpile-only` child',
    '(`child_process.fork`), except the require and read cases, which are plain `node` processes. The child loads every module',
    'and prepares its input untimed, then times only the work with `performance.now()`. A fresh process per run is what',
    '`cdk8s synth` does (one process per synth), so JIT warm-up is included, alike for every variant. Runs are',
    'interleaved (round 1 of every case, then round 2, ...) so a change of load on the machine hits every case alike.',
    `${options.minimalReps} runs per minimal-pod case, ${options.requireReps} per require case, ${options.reps} per other case (${options.bigReps} for ` +
      `${fmtN(options.bigThreshold)} pods); the tables show the median.`,
    '',
    "**Memory.** *peak RSS* is the high-water mark of the child's resident set as the kernel records it",
    '(`process.resourceUsage().maxRSS`, i.e. getrusage `ru_maxrss`), read after the work: a true peak, not a sample, so',
    'short spikes are not missed. It is the whole process — Node, ts-node, cdk8s, cdk8s-plus and this library loaded —',
    'which *RSS before work* shows on its own; the difference is what the case added. V8 collects garbage lazily, so the',
    'peak includes garbage not yet collected: it is what the process occupied (what a CI runner must provide), an upper',
    "bound of what was strictly needed. Each child runs alone (never two at once), with Node's default heap limits.",
    '',
    '## Environment',
    '',
    `- ${env.start.toISOString()}, commit ${env.commit}, ${env.seconds.toFixed(0)} s in total`,
    `- rules in the catalogue (\`RULES\`) when measured: ${RULES.length === 0 ? "none (SafePod's machinery only: judging, caching, settings)" : `${RULES.length}: ${RULES.map((r) => `\`${r.id}\``).join(', ')}`}`,
    `- Node ${process.version}, ${os.type()} ${os.release()} ${os.arch()}, ${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}, ` +
      `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    `- noise: ${noiseLine(results)}`,
    `- load average (1/5/15 min) at start ${env.load[0].map((x) => x.toFixed(2)).join(' / ')}, at end ${env.load[1]
      .map((x) => x.toFixed(2))
      .join(' / ')} (other jobs were running on this machine; the ratios, measured interleaved, are more stable than the times)`,
    '',
  );
  return lines.join('\n');
}

async function main(argv: string[]): Promise<void> {
  if (argv[0] === '--child') {
    await child(JSON.parse(process.env.BENCH_OPTIONS!) as CaseOptions, argv[1], argv[2]);
    return;
  }
  if (argv[0] === '--prepare') {
    childPrepare(JSON.parse(argv[1]) as InputSpec, argv[2]);
    return;
  }
  const quick = argv.includes('--quick');
  const onlyAt = argv.indexOf('--only');
  const only = onlyAt >= 0 ? argv[onlyAt + 1] : undefined;
  const repsAt = argv.indexOf('--reps');
  const reps = repsAt >= 0 ? Number(argv[repsAt + 1]) : undefined;
  const options = { ...(quick ? QUICK : FULL), ...(reps ? { reps, bigReps: reps } : {}) };
  const out = quick || only || reps ? path.join(ROOT, '.bench', 'BENCHMARKS.quick.md') : path.join(ROOT, 'BENCHMARKS.md');

  const start = new Date();
  const commit = gitCommit();
  const load0 = os.loadavg();
  const t0 = performance.now();
  const cases = casesFor(options).filter((c) => !only || c.id.includes(only));
  const results: Result[] = cases.map((c) => ({ c, samples: [], skipped: c.unavailable?.() }));

  // the compiled library of the require cases, built once (untimed) and removed after the run
  const needsLib = results.some((r) => r.c.needsLib && !r.skipped);
  if (needsLib) {
    process.stderr.write(`building the library into ${path.relative(ROOT, LIB_DIR)}\n`);
    buildLib();
  }

  // inputs of the check cases, synthesized once
  const inputs = new Map<string, InputSpec>();
  for (const r of results) if (r.c.input && !r.skipped) inputs.set(r.c.input.id, r.c.input);
  for (const spec of inputs.values()) {
    process.stderr.write(`preparing ${spec.id}\n`);
    await runChild(['--prepare', JSON.stringify(spec), path.join(INPUT_ROOT, spec.id)], options);
  }

  // the CLI of the whole-process cases, transpiled once
  const cli = results.some((r) => r.c.process && !r.skipped) ? transpileSources(path.join(ROOT, '.bench', 'cli')) : undefined;

  const rounds = Math.max(0, ...results.map((r) => r.c.reps));
  for (let round = 0; round < rounds; round++) {
    // every other round in reverse order, so no case always runs right after the same neighbour
    for (const r of round % 2 === 0 ? results : [...results].reverse()) {
      if (r.skipped || round >= r.c.reps) continue;
      const args = ['--child', r.c.id, ...(r.c.input ? [path.join(INPUT_ROOT, r.c.input.id)] : [])];
      const s = r.c.process
        ? await runProcess(r.c, path.join(INPUT_ROOT, r.c.input!.id), cli!)
        : r.c.spawn
          ? await runSpawn(r.c.spawn)
          : ((await runChild(args, options)) as Sample);
      if (r.samples.length > 0 && r.samples[0].outputSize !== s.outputSize) throw new Error(`${r.c.id}: runs produced different output`);
      r.samples.push(s);
      process.stderr.write(`round ${round + 1}/${rounds} ${r.c.id}: ${fmtMs(s.ms)} ms, peak RSS ${fmtMiB(s.maxRssKiB)} MiB\n`);
    }
  }

  if (needsLib) fs.rmSync(LIB_DIR, { recursive: true, force: true });

  const md = report(results, options, { start, commit, seconds: (performance.now() - t0) / 1000, load: [load0, os.loadavg()] });
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, md);
  process.stdout.write(`${md}\nwritten to ${path.relative(process.cwd(), out)}\n`);
}

main(process.argv.slice(2)).catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
