/**
 * The start and stop of a pod on a time axis in seconds, as the kubelet runs them (KUBERNETES.md §4.3):
 *
 * - start: `startContainer` runs postStart synchronously right after the container starts, so the container is not
 *   Running, and the next container is not started, until the hook returns; exec and httpGet hooks have no timeout
 *   (`handlers.go` "TODO: Pass a proper timeout value", `kubelet.go` `insecureContainerLifecycleHTTPClient`); a failed
 *   hook records `FailedPostStartHook` and the container is killed;
 * - stop: the grace countdown starts before preStop (`types.go` preStop doc); `executePreStopHook` waits at most the
 *   grace period, then `killContainer` subtracts the time used and raises what is left to at least
 *   `minimumGracePeriodInSeconds = 2` before `StopContainer` (SIGTERM, SIGKILL at the end); with a grace period of 0
 *   the hook does not run; a failed hook records `FailedPreStopHook`, and the container is stopped either way;
 * - sidecars (1.29+) run their preStop with the others, then wait for the regular containers to exit before their
 *   SIGTERM (`kuberuntime_termination_order.go`), within the same grace period.
 *
 * Budgets come from `readHookBudget` (the hook JSON, else the `safe-pods.cdk8s.io/hook-budgets` annotation, else the
 * library default) and the shutdown reserve from the annotation or `DEFAULTS.shutdownReserveSeconds`, as the judge
 * reads them (`lifecycle-prestop-exceeds-grace`).
 */
import { DEFAULTS } from '../defaults';
import type { ContainerHookBudgets } from '../hooks/budget';
import { BudgetSource, readHookBudget } from '../hooks/budget';
import type { LifecycleHandlerJson } from '../hooks/types';
import { HookPosition } from '../hooks/types';
import { decodeLifecycle, sidecarsSupported, sleepSupport, SleepSupport } from '../hooks/validate';
import type { KubernetesVersion } from '../k8s/version';
import type { ReadContainer } from './read';
import type { ExplainedTimeline, HookEvent, TimelineLane, TimelineMark, TimelinePhase, TimelineSpan } from './types';
import { ExplainedContainerKind, HookBound, MarkKind, PhaseName, SpanKind } from './types';

/** `minimumGracePeriodInSeconds` of `kuberuntime_container.go`. */
export const MINIMUM_GRACE_SECONDS = 2;

/** What the timeline needs to know about the pod. */
export interface TimelineInput {
  /** Every container as read, in the kubelet's start order. */
  readonly containers: readonly ReadContainer[];
  /** The target version (which hooks run, whether sidecars exist). */
  readonly version: KubernetesVersion;
  /**
   * `terminationGracePeriodSeconds` as written.
   *
   * @default - absent: Kubernetes applies 30 s
   */
  readonly terminationGracePeriodSeconds?: number;
  /** Declared budgets by container (the budgets annotation). */
  readonly budgets: ReadonlyMap<string, ContainerHookBudgets>;
  /**
   * The pod name for `kubectl`, when known.
   *
   * @default - unknown: `<pod name>` in the commands
   */
  readonly podName?: string;
  /**
   * The namespace for `kubectl`, when set.
   *
   * @default - not set: no `-n` in the commands
   */
  readonly namespace?: string;
}

/** The kind of a container for the timeline, `undefined` for containers without a lane (init, ephemeral). */
export function laneKindOf(c: ReadContainer, version: KubernetesVersion): ExplainedContainerKind {
  if (c.list === 'containers') return ExplainedContainerKind.CONTAINER;
  if (c.list === 'ephemeralContainers') return ExplainedContainerKind.EPHEMERAL;
  return c.restartPolicy === 'Always' && sidecarsSupported(version) ? ExplainedContainerKind.SIDECAR : ExplainedContainerKind.INIT;
}

/** A hook as the timeline sees it. */
interface HookTiming {
  readonly bound: HookBound;
  /** Seconds drawn (the bound, the declared budget, or the assumed default). */
  readonly seconds: number;
  /** `exec timeout 5 s`, `sleep 15 s`, `httpGet /drain (declared 10 s)`, ... */
  readonly what: string;
}

function hookTiming(handler: LifecycleHandlerJson, position: HookPosition, declared: number | undefined): HookTiming | undefined {
  // handlerRunner.Run: exec, then httpGet, then sleep; anything else (tcpSocket) is "invalid handler"
  const kind = handler.exec ? 'exec' : handler.httpGet ? 'httpGet' : handler.sleep ? 'sleep' : handler.tcpSocket ? 'tcpSocket' : undefined;
  if (kind === undefined) return undefined;
  if (kind === 'tcpSocket') return { bound: HookBound.FAILS_AT_ONCE, seconds: 0, what: 'tcpSocket (never run: "invalid handler")' };
  const runs: LifecycleHandlerJson =
    kind === 'exec' ? { exec: handler.exec } : kind === 'httpGet' ? { httpGet: handler.httpGet } : { sleep: handler.sleep };
  const budget = readHookBudget(runs, position, declared);
  const s = budget.seconds;
  const target = kind === 'httpGet' ? `httpGet ${handler.httpGet?.path || '/'}` : kind;
  switch (budget.source) {
    case BudgetSource.SLEEP:
      return { bound: HookBound.ENFORCED, seconds: s, what: `sleep ${s} s` };
    case BudgetSource.EXEC_SLEEP:
      return { bound: HookBound.ENFORCED, seconds: s, what: `exec sleep ${s} s` };
    case BudgetSource.TIMEOUT:
      return { bound: HookBound.ENFORCED, seconds: s, what: `exec, timeout ${s} s` };
    case BudgetSource.DECLARED:
      return { bound: HookBound.DECLARED, seconds: s, what: `${target}, declared ${s} s` };
    default:
      return { bound: HookBound.UNBOUNDED, seconds: s, what: `${target}, unbounded (${s} s assumed)` };
  }
}

interface LaneHooks {
  readonly container: ReadContainer;
  readonly kind: ExplainedContainerKind;
  /**
   * The postStart hook as it runs.
   *
   * @default - no postStart hook that runs
   */
  readonly postStart?: HookTiming;
  /**
   * The preStop hook as it runs.
   *
   * @default - no preStop hook that runs
   */
  readonly preStop?: HookTiming;
  readonly reserve: number;
  readonly reserveDeclared: boolean;
}

function lanesOf(input: TimelineInput, notes: string[]): LaneHooks[] {
  const out: LaneHooks[] = [];
  for (const c of input.containers) {
    const kind = laneKindOf(c, input.version);
    if (kind !== ExplainedContainerKind.CONTAINER && kind !== ExplainedContainerKind.SIDECAR) continue;
    const declared = input.budgets.get(c.name) ?? {};
    const written = c.postStart !== undefined || c.preStop !== undefined ? { postStart: c.postStart, preStop: c.preStop } : undefined;
    const decoded = decodeLifecycle(written, input.version);
    for (const position of [HookPosition.POST_START, HookPosition.PRE_STOP]) {
      if (written?.[position]?.sleep !== undefined && decoded?.[position]?.sleep === undefined) {
        const support = sleepSupport(input.version);
        const how = support === SleepSupport.GATED_OFF ? 'drops it (PodLifecycleSleepAction is off)' : 'does not know the field';
        notes.push(`container ${JSON.stringify(c.name)}: ${position} sleep is not run: Kubernetes ${input.version} ${how}`);
      }
    }
    const postStart = decoded?.postStart ? hookTiming(decoded.postStart, HookPosition.POST_START, declared.postStart) : undefined;
    const preStop = decoded?.preStop ? hookTiming(decoded.preStop, HookPosition.PRE_STOP, declared.preStop) : undefined;
    out.push({
      container: c,
      kind,
      ...(postStart ? { postStart } : {}),
      ...(preStop ? { preStop } : {}),
      reserve: declared.shutdownReserve ?? DEFAULTS.shutdownReserveSeconds,
      reserveDeclared: declared.shutdownReserve !== undefined,
    });
  }
  return out;
}

function endOf(lanes: readonly TimelineLane[]): number {
  let end = 0;
  for (const l of lanes) {
    for (const s of l.spans) end = Math.max(end, s.endSeconds, typeof s.worstCaseEndSeconds === 'number' ? s.worstCaseEndSeconds : 0);
    for (const m of l.marks) end = Math.max(end, m.atSeconds);
  }
  return end;
}

const FAILURE_FOLLOW_UP = 'the kubelet then kills the container and restarts it according to restartPolicy';

function startPhase(lanes: readonly LaneHooks[], events: HookEvent[]): TimelinePhase {
  let t = 0;
  let previous: string | undefined;
  const out: TimelineLane[] = [];
  for (const l of lanes) {
    const name = l.container.name;
    const spans: TimelineSpan[] = [];
    const marks: TimelineMark[] = [];
    if (t > 0) spans.push({ kind: SpanKind.WAIT, startSeconds: 0, endSeconds: t, label: `waits for ${previous ?? 'the containers before it'}` });
    marks.push({ kind: MarkKind.CREATED, atSeconds: t, label: `created at ${t} s` });
    const h = l.postStart;
    if (h === undefined) {
      marks.push({ kind: MarkKind.RUNNING, atSeconds: t, label: `Running at ${t} s` });
    } else {
      const end = t + h.seconds;
      spans.push({
        kind: SpanKind.POST_START,
        startSeconds: t,
        endSeconds: end,
        label: `postStart ${h.what}`,
        bound: h.bound,
        ...(h.bound === HookBound.UNBOUNDED ? { worstCaseEndSeconds: null } : {}),
      });
      if (h.bound === HookBound.FAILS_AT_ONCE) {
        events.push({
          reason: 'FailedPostStartHook',
          type: 'Warning',
          message: 'PostStartHook failed',
          container: name,
          phase: PhaseName.START,
          latestSeconds: t,
          when: `at once (${t} s): the kubelet has no runner for tcpSocket; ${FAILURE_FOLLOW_UP}, so it never reaches Running`,
        });
      } else {
        marks.push({
          kind: MarkKind.RUNNING,
          atSeconds: end,
          label: h.bound === HookBound.UNBOUNDED ? `Running at ${end} s if the hook returns` : `Running at ${end} s`,
        });
        const bounded = h.bound === HookBound.ENFORCED;
        events.push({
          reason: 'FailedPostStartHook',
          type: 'Warning',
          message: 'PostStartHook failed',
          container: name,
          phase: PhaseName.START,
          ...(bounded ? { latestSeconds: end } : {}),
          when: bounded
            ? `when the hook fails (an error, a non-zero exit, a timeout that fires), at the latest at ${end} s; ${FAILURE_FOLLOW_UP}`
            : `when the hook fails; a hook that hangs records nothing and keeps the container out of Running for good (no timeout); ${FAILURE_FOLLOW_UP}`,
        });
      }
      t = end;
    }
    previous = name;
    out.push({ container: name, kind: l.kind, spans, marks });
  }
  return {
    name: PhaseName.START,
    zero: 'the first container is created (after image pulls and init containers, whose durations are unknown)',
    endSeconds: endOf(out),
    lanes: out,
    notes: [
      'postStart runs right after the container starts; the container is not Running, and the kubelet does not start the next container, until the hook returns (kuberuntime_container.go startContainer)',
      'exec and httpGet hooks have no timeout in the kubelet: an unbounded hook is drawn at the library default budget (handlers.go, kubelet.go insecureContainerLifecycleHTTPClient)',
      ...(lanes.some((l) => l.kind === ExplainedContainerKind.SIDECAR)
        ? ['a sidecar must also pass its startup probe before the next container starts; probe time is not drawn']
        : []),
    ],
  };
}

interface StopResult {
  readonly lane: TimelineLane;
  /** When the app is expected to have exited (SIGTERM + reserve, at most SIGKILL). */
  readonly exit: number;
}

function stopLane(l: LaneHooks, grace: number, waitUntil: number | undefined, events: HookEvent[]): StopResult {
  const name = l.container.name;
  const spans: TimelineSpan[] = [];
  const marks: TimelineMark[] = [];
  let elapsed = 0;
  const h = l.preStop;
  if (h !== undefined && grace > 0) {
    if (h.bound === HookBound.FAILS_AT_ONCE) {
      spans.push({ kind: SpanKind.PRE_STOP, startSeconds: 0, endSeconds: 0, label: `preStop ${h.what}`, bound: h.bound });
    } else {
      const cut = h.seconds > grace;
      elapsed = Math.min(h.seconds, grace);
      spans.push({
        kind: SpanKind.PRE_STOP,
        startSeconds: 0,
        endSeconds: elapsed,
        label: `preStop ${h.what}${cut ? `, cut at the ${grace} s deadline` : ''}`,
        bound: h.bound,
        ...(cut ? { cut: true } : {}),
        ...(h.bound === HookBound.UNBOUNDED && !cut ? { worstCaseEndSeconds: grace } : {}),
      });
    }
    // the kubelet stops waiting at the deadline: only a bound it enforces ends the hook earlier
    const latest = h.bound === HookBound.ENFORCED || h.bound === HookBound.FAILS_AT_ONCE ? elapsed : grace;
    events.push({
      reason: 'FailedPreStopHook',
      type: 'Warning',
      message: 'PreStopHook failed',
      container: name,
      phase: PhaseName.STOP,
      latestSeconds: latest,
      when:
        h.bound === HookBound.FAILS_AT_ONCE
          ? 'at once (0 s): the kubelet has no runner for tcpSocket; the container is stopped anyway'
          : `when the hook fails, at the latest at ${latest} s (the kubelet stops waiting at the grace deadline); the container is stopped either way`,
    });
  }
  if (waitUntil !== undefined && grace > elapsed && waitUntil > elapsed) {
    const end = Math.min(waitUntil, grace);
    spans.push({
      kind: SpanKind.WAIT,
      startSeconds: elapsed,
      endSeconds: end,
      label: 'waits for the containers to exit (sidecar termination order)',
    });
    elapsed = end;
  }
  const left = grace - elapsed;
  const window = Math.max(MINIMUM_GRACE_SECONDS, left);
  const kill = elapsed + window;
  marks.push({ kind: MarkKind.SIGTERM, atSeconds: elapsed, label: `SIGTERM at ${elapsed} s` });
  const reserveText = `reserve ${l.reserve} s${l.reserveDeclared ? '' : ', default'}`;
  let exit: number;
  if (left < MINIMUM_GRACE_SECONDS) {
    spans.push({
      kind: SpanKind.MINIMUM_GRACE,
      startSeconds: elapsed,
      endSeconds: kill,
      label: `kubelet minimum ${MINIMUM_GRACE_SECONDS} s, app shutdown (${reserveText})`,
      ...(l.reserve > window ? { cut: true } : {}),
    });
    exit = Math.min(elapsed + l.reserve, kill);
  } else {
    const done = Math.min(elapsed + l.reserve, kill);
    if (l.reserve > 0) {
      spans.push({
        kind: SpanKind.SHUTDOWN,
        startSeconds: elapsed,
        endSeconds: done,
        label: `app shutdown (${reserveText})`,
        ...(elapsed + l.reserve > kill ? { cut: true } : {}),
      });
    }
    if (done < kill) spans.push({ kind: SpanKind.SLACK, startSeconds: done, endSeconds: kill, label: 'grace left' });
    exit = done;
  }
  marks.push({ kind: MarkKind.SIGKILL, atSeconds: kill, label: `SIGKILL at ${kill} s` });
  return { lane: { container: name, kind: l.kind, spans, marks }, exit };
}

function stopPhase(lanes: readonly LaneHooks[], grace: number, events: HookEvent[]): TimelinePhase {
  const byName = new Map<LaneHooks, TimelineLane>();
  let lastExit = 0;
  const regular = lanes.filter((l) => l.kind === ExplainedContainerKind.CONTAINER);
  for (const l of regular) {
    const r = stopLane(l, grace, undefined, events);
    byName.set(l, r.lane);
    lastExit = Math.max(lastExit, r.exit);
  }
  for (const l of lanes.filter((x) => x.kind === ExplainedContainerKind.SIDECAR)) {
    byName.set(l, stopLane(l, grace, regular.length > 0 ? lastExit : undefined, events).lane);
  }
  const out = lanes.map((l) => byName.get(l)!);
  const notes = [
    `the grace period (${grace} s) counts from the deletion and includes preStop; the kubelet stops waiting for preStop at the deadline (kuberuntime_container.go executePreStopHook)`,
    `after preStop the kubelet gives at least ${MINIMUM_GRACE_SECONDS} s between SIGTERM and SIGKILL, so a stop can last up to the grace period + ${MINIMUM_GRACE_SECONDS} s (killContainer, minimumGracePeriodInSeconds)`,
    'SIGTERM stands for the stop signal: the image may set another (STOPSIGNAL); the app is drawn taking its shutdown reserve after it',
    'the containers are stopped in parallel; a hook does not run when the container exited on its own',
  ];
  if (grace === 0) notes.push('terminationGracePeriodSeconds is 0: the kubelet skips preStop hooks altogether');
  if (lanes.some((l) => l.kind === ExplainedContainerKind.SIDECAR)) {
    notes.push('sidecars get SIGTERM after the containers have exited (drawn at the end of their shutdown reserve), within the same grace period');
  }
  return {
    name: PhaseName.STOP,
    zero: 'the pod is deleted (the grace countdown starts)',
    endSeconds: endOf(out),
    lanes: out,
    notes,
  };
}

/** The start and stop timeline of a pod. */
export function explainTimeline(input: TimelineInput): { timeline: ExplainedTimeline; notes: string[] } {
  const notes: string[] = [];
  const lanes = lanesOf(input, notes);
  const gracePeriodWritten = input.terminationGracePeriodSeconds !== undefined;
  const grace = input.terminationGracePeriodSeconds ?? DEFAULTS.kubernetesTerminationGracePeriodSeconds;
  const events: HookEvent[] = [];
  const start = startPhase(lanes, events);
  const stop = stopPhase(lanes, grace, events);
  const ns = input.namespace !== undefined ? ` -n ${input.namespace}` : '';
  const pod = input.podName ?? '<pod name>';
  const eventCommands =
    events.length === 0
      ? []
      : [
          `kubectl get events${ns} --field-selector involvedObject.name=${pod}`,
          ...[...new Set(events.map((e) => e.reason))].map((reason) => `kubectl get events${ns} --field-selector reason=${reason}`),
        ];
  return { timeline: { gracePeriodSeconds: grace, gracePeriodWritten, start, stop, events, eventCommands }, notes };
}
