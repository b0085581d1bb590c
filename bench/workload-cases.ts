/**
 * The workload benchmark (issue 14): N `SafeDeployment`s against N cdk8s-plus `Deployment`s with the same container
 * (one container, a pinned image, nothing else), synthesized with `app.synthYaml()`, each run in a fresh process like
 * every case of `bench/cases.ts`. Kept in its own file so the two lists merge without conflicts: `casesFor` appends
 * `workloadCases(o)`, and `bench/run.ts` reports `WORKLOAD_TARGETS`.
 */
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { SafeDeployment } from '../src/constructs/safe-workloads';
import type { BenchCase, CaseOptions } from './cases';
import { CaseGroup } from './cases';

/** Deployments per case: the 1 000. */
export const WORKLOAD_COUNT = 1000;

/** The one container of every Deployment: a pinned image, nothing else. */
function containerProps(i: number): kplus.ContainerProps {
  return { image: `registry.example.com/team/app-${i % 50}:1.${i % 10}.0` };
}

const FACTORIES: Readonly<Record<string, (chart: Chart, i: number) => void>> = {
  SafeDeployment: (chart, i) => {
    new SafeDeployment(chart, `deploy-${i}`, { containers: [containerProps(i)] });
  },
  'kplus.Deployment': (chart, i) => {
    new kplus.Deployment(chart, `deploy-${i}`, { containers: [containerProps(i)] });
  },
};

/** An app with one chart (namespace `bench`) holding `n` Deployments of `variant`. */
export function buildWorkloadApp(variant: string, n: number): App {
  const factory = FACTORIES[variant];
  if (!factory) throw new Error(`unknown workload variant ${JSON.stringify(variant)}; use one of ${Object.keys(FACTORIES).join(', ')}`);
  const app = new App();
  const chart = new Chart(app, 'bench', { namespace: 'bench' });
  for (let i = 0; i < n; i++) factory(chart, i);
  return app;
}

const caseId = (variant: string): string => `synth/${variant}/${WORKLOAD_COUNT}`;

/** The workload cases of a run: both variants at `WORKLOAD_COUNT`. */
export function workloadCases(o: CaseOptions): BenchCase[] {
  return Object.keys(FACTORIES).map((variant) => ({
    id: caseId(variant),
    group: CaseGroup.SYNTH,
    variant,
    pods: WORKLOAD_COUNT,
    services: 0,
    reps: WORKLOAD_COUNT >= o.bigThreshold ? o.bigReps : o.reps,
    prepare: () => () => buildWorkloadApp(variant, WORKLOAD_COUNT).synthYaml(),
  }));
}

/** A ratio the report checks: median of case `a` over median of case `b`, at most `limit`. */
export interface WorkloadTarget {
  /** The row's name in the report. */
  readonly name: string;
  /** Case id of the numerator. */
  readonly a: string;
  /** Case id of the denominator. */
  readonly b: string;
  /** The target. */
  readonly limit: number;
}

/** The target: `SafeDeployment` within 1.15× of cdk8s-plus `Deployment`. */
export const WORKLOAD_TARGETS: readonly WorkloadTarget[] = [
  {
    name: `SafeDeployment / kplus.Deployment at N = ${WORKLOAD_COUNT.toLocaleString('en-US').replace(/,/g, ' ')}`,
    a: caseId('SafeDeployment'),
    b: caseId('kplus.Deployment'),
    limit: 1.15,
  },
];

/** The bullet of "What is measured" (lines of the report). */
export const WORKLOAD_MEASURED = [
  '- **synth, workloads**: one chart (namespace `bench`) with 1 000 `SafeDeployment`s, or 1 000 cdk8s-plus `Deployment`s,',
  '  each with one container (a pinned image, nothing else), synthesized with `app.synthYaml()` (bench/workload-cases.ts).',
].join('\n');
