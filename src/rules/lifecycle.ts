import { DEFAULTS } from '../defaults';
import type { ContainerHookBudgets, ParsedHookBudgets } from '../hooks/budget';
import { BudgetSource, HOOK_BUDGETS_ANNOTATION, parseHookBudgetAnnotation, readHookBudget } from '../hooks/budget';
import { exceedsGrace, MINIMUM_GRACE_SECONDS } from '../hooks/grace';
import { shellScriptIndexes, visibleSleepSeconds } from '../env/shell';
import type { LifecycleHandlerJson, LifecycleJson } from '../hooks/types';
import { FieldErrorType, HOOK_POSITIONS, HookPosition } from '../hooks/types';
import { runnableHandler, sidecarsSupported, sleepRuns, validateLifecycle } from '../hooks/validate';
import { KubernetesVersion } from '../k8s/version';
import type { JudgeContext, PodSubject, Rule, RuleFinding } from './types';
import type { ContainerRef } from './normalize';
import { Severity } from './types';
import { describeContainer } from './normalize';

const BUDGETS_FIELD = `metadata.annotations[${JSON.stringify(HOOK_BUDGETS_ANNOTATION)}]`;

function lifecycleOf(ref: ContainerRef): LifecycleJson | undefined {
  return ref.container.lifecycle;
}

/** Whether the API server of the target lets this container have hooks (regular containers, sidecars from 1.29). */
function hooksAllowed(ref: ContainerRef, version: KubernetesVersion): boolean {
  if (ref.list === 'containers') return true;
  return ref.list === 'initContainers' && ref.container.restartPolicy === 'Always' && sidecarsSupported(version);
}

interface HookRef {
  readonly ref: ContainerRef;
  readonly position: HookPosition;
  readonly handler: LifecycleHandlerJson;
  /** Field path of the hook, e.g. `spec.containers[0].lifecycle.preStop`. */
  readonly path: string;
}

const NO_HOOKS: readonly HookRef[] = Object.freeze([]);

/** The last subject asked about, and its hooks: every hook rule asks in turn about the same subject. */
let lastHooks: { readonly subject: PodSubject; readonly version: KubernetesVersion; readonly hooks: readonly HookRef[] } | undefined;

/** The hooks of every container that may have hooks. */
function hooksOf(subject: PodSubject, version: KubernetesVersion): readonly HookRef[] {
  if (lastHooks !== undefined && lastHooks.subject === subject && lastHooks.version === version) return lastHooks.hooks;
  const hooks = findHooks(subject, version);
  lastHooks = { subject, version, hooks };
  return hooks;
}

function findHooks(subject: PodSubject, version: KubernetesVersion): readonly HookRef[] {
  const out: HookRef[] = [];
  for (let ci = 0; ci < subject.containers.length; ci++) {
    const ref = subject.containers[ci];
    const lifecycle = lifecycleOf(ref);
    if (lifecycle === undefined || !hooksAllowed(ref, version)) continue;
    for (const position of HOOK_POSITIONS) {
      const handler = lifecycle[position];
      if (handler !== undefined) out.push({ ref, position, handler, path: `${ref.path}.lifecycle.${position}` });
    }
  }
  return out.length > 0 ? out : NO_HOOKS;
}

/** The lifecycle as the other rules judge it on `version`: without a native sleep the version does not run (its own rule reports it). */
function runnableLifecycle(lifecycle: LifecycleJson, version: KubernetesVersion): LifecycleJson {
  const out: { postStart?: LifecycleHandlerJson; preStop?: LifecycleHandlerJson } = {};
  for (const position of HOOK_POSITIONS) {
    const h = lifecycle[position];
    const runnable = h === undefined ? undefined : runnableHandler(h, version);
    if (runnable !== undefined) out[position] = runnable;
  }
  return out;
}

let lastBudgets: { readonly text: string | undefined; readonly budgets: ParsedHookBudgets } | undefined;

function budgetsOf(subject: PodSubject): ParsedHookBudgets {
  // three rules read the annotation of the same subject in turn
  const text = subject.annotations[HOOK_BUDGETS_ANNOTATION];
  if (lastBudgets === undefined || lastBudgets.text !== text) lastBudgets = { text, budgets: parseHookBudgetAnnotation(text) };
  return lastBudgets.budgets;
}

function declaredOf(budgets: ParsedHookBudgets, container: string | undefined): ContainerHookBudgets {
  return (container !== undefined && budgets.budgets.get(container)) || {};
}

function versionText(ctx: JudgeContext): string {
  return `Kubernetes ${ctx.kubernetesVersion}`;
}

const NOT_ALLOWED: Rule = {
  id: 'lifecycle-not-allowed',
  severity: Severity.ERROR,
  title: 'Lifecycle hooks on an init or ephemeral container',
  reason:
    'The API server refuses `lifecycle` on init containers unless they are sidecars (`restartPolicy: Always`, on by default from 1.29) ' +
    'and always on ephemeral containers (validation.go validateInitContainers, validateEphemeralContainers)',
  fix: 'Move the hook to a regular container, or make the init container a sidecar (`restartPolicy: Always`) on Kubernetes 1.29+',
  check(subject, ctx) {
    const findings: RuleFinding[] = [];
    for (let ci = 0; ci < subject.containers.length; ci++) {
      const ref = subject.containers[ci];
      if (ref.list === 'containers' || ref.container.lifecycle === undefined || ref.container.lifecycle === null) continue;
      if (hooksAllowed(ref, ctx.kubernetesVersion)) continue;
      const who = describeContainer(ref);
      let why: string;
      if (ref.list === 'ephemeralContainers') {
        why = 'lifecycle cannot be set on an ephemeral container; remove lifecycle';
      } else if (ref.container.restartPolicy === 'Always') {
        why =
          `lifecycle is set on a sidecar (restartPolicy "Always"), but ${versionText(ctx)} refuses it (native sidecars are on by default from ` +
          `1.29); ` +
          'target Kubernetes 1.29 or newer, or move the hook to a regular container';
      } else {
        why =
          'lifecycle is set, but the API server refuses hooks on init containers without restartPolicy "Always"; move the hook to a ' +
          'regular container or make this init container a sidecar (Kubernetes 1.29+)';
      }
      findings.push({ message: `${who}: ${why}`, field: `${ref.path}.lifecycle`, container: ref.name });
    }
    return findings;
  },
};

/** `field.ErrorType.String()`, as `kubectl` prints it. */
const ERROR_TYPE_TEXT: Readonly<Record<FieldErrorType, string>> = {
  [FieldErrorType.REQUIRED]: 'Required value',
  [FieldErrorType.INVALID]: 'Invalid value',
  [FieldErrorType.FORBIDDEN]: 'Forbidden',
  [FieldErrorType.NOT_SUPPORTED]: 'Unsupported value',
  [FieldErrorType.DUPLICATE]: 'Duplicate value',
};

function fixFor(type: FieldErrorType, detail: string): string {
  if (detail === 'must specify a handler type') return 'give the hook exactly one of exec, httpGet or sleep';
  if (detail === 'may not specify more than 1 handler type') return 'keep exactly one handler in the hook';
  if (type === FieldErrorType.REQUIRED) return 'set the field';
  return 'change the value as the API server says';
}

const HANDLER_INVALID: Rule = {
  id: 'lifecycle-handler-invalid',
  severity: Severity.ERROR,
  title: 'A lifecycle hook the API server rejects',
  reason:
    'The API server validates each hook: exactly one handler, a non-empty exec command, a valid port number or IANA port name, scheme HTTP or ' +
    'HTTPS (case-sensitive), header names of letters, digits and "-", sleep seconds within the grace period (validation.go validateLifecycle, ' +
    'validateHandler)',
  fix: 'Correct the field the message names, or build the hook with LifecycleHook, which checks it when it is created',
  check(subject, ctx) {
    const version = ctx.kubernetesVersion;
    const findings: RuleFinding[] = [];
    for (let ci = 0; ci < subject.containers.length; ci++) {
      const ref = subject.containers[ci];
      const lifecycle = lifecycleOf(ref);
      if (lifecycle === undefined || !hooksAllowed(ref, version)) continue;
      const errors = validateLifecycle(runnableLifecycle(lifecycle, version), {
        version,
        containerKind: ref.list,
        restartPolicy: ref.container.restartPolicy,
        terminationGracePeriodSeconds: subject.spec.terminationGracePeriodSeconds,
        containerPath: ref.path,
      });
      for (const e of errors) {
        const local = e.field.slice(ref.path.length + 1);
        const text = e.detail.length > 0 ? `${ERROR_TYPE_TEXT[e.type]}: ${e.detail}` : ERROR_TYPE_TEXT[e.type];
        findings.push({
          message: `${describeContainer(ref)}: ${local} is rejected by the ${versionText(ctx)} API server (${text}); ${fixFor(e.type, e.detail)}`,
          field: e.field,
          container: ref.name,
        });
      }
    }
    return findings;
  },
};

const SLEEP_UNSUPPORTED: Rule = {
  id: 'lifecycle-sleep-unsupported',
  severity: Severity.ERROR,
  title: 'The native sleep hook on a target before Kubernetes 1.30',
  reason:
    'The `sleep` action exists from 1.29 (PodLifecycleSleepAction, off by default) and is on by default from 1.30; older API servers reject ' +
    'the unknown field or drop it, and 1.29 silently drops the hook (pkg/api/pod/util.go dropPodLifecycleSleepAction)',
  fix: 'Use an exec sleep (`LifecycleHook.execSleep(n)`, which needs a `sleep` binary in the image, so not distroless) or target Kubernetes 1.30+',
  check(subject, ctx) {
    if (sleepRuns(ctx.kubernetesVersion)) return [];
    const hooks = hooksOf(subject, ctx.kubernetesVersion);
    if (hooks.length === 0) return [];
    return hooks
      .filter((h) => h.handler.sleep !== undefined)
      .map((h) => ({
        message:
          `${describeContainer(h.ref)}: ${h.position} uses the native sleep action ${JSON.stringify({ seconds: h.handler.sleep?.seconds ?? 0 })}, ` +
          `which ${versionText(ctx)} does not run (PodLifecycleSleepAction is on by default from 1.30; older API servers drop or reject the ` +
          `field); use an exec sleep (exec ${JSON.stringify(['sleep', String(h.handler.sleep?.seconds ?? 0)])}, ` +
          `LifecycleHook.execSleep(${h.handler.sleep?.seconds ?? 0}), which needs a sleep binary in the image, so not distroless) or target ` +
          'Kubernetes 1.30 or newer',
        field: `${h.path}.sleep`,
        container: h.ref.name,
      }));
  },
};

const TCP_SOCKET: Rule = {
  id: 'lifecycle-tcp-socket',
  severity: Severity.ERROR,
  title: 'A tcpSocket lifecycle hook, which the kubelet never runs',
  reason:
    'The API accepts `tcpSocket` in a LifecycleHandler for backward compatibility, but the kubelet has no case for it and fails the hook with ' +
    '"invalid handler" (pkg/kubelet/lifecycle/handlers.go handlerRunner.Run): a failed postStart kills the container, a failed preStop is skipped',
  fix: 'Use httpGet, exec or sleep; cdk8s-plus `Handler.fromTcpSocket` produces this handler, `LifecycleHook` has no such factory',
  check(subject, ctx) {
    const hooks = hooksOf(subject, ctx.kubernetesVersion);
    if (hooks.length === 0) return [];
    return hooks
      .filter((h) => h.handler.tcpSocket !== undefined)
      .map((h) => ({
        message:
          `${describeContainer(h.ref)}: ${h.position} uses tcpSocket ${JSON.stringify(h.handler.tcpSocket)}, which the API accepts but the ` +
          `kubelet never runs ` +
          `(the hook fails with "invalid handler"${h.position === HookPosition.POST_START ? ' and the container is killed' : ''}); use ` +
          `httpGet, exec or sleep instead`,
        field: `${h.path}.tcpSocket`,
        container: h.ref.name,
      }));
  },
};

const HOST_SET: Rule = {
  id: 'lifecycle-host-set',
  severity: Severity.WARNING,
  title: 'An httpGet lifecycle hook that sets host',
  reason:
    'With `httpGet.host` the kubelet sends the request to another host than the pod (a request forgery path); Pod Security "baseline" ' +
    'forbids a non-empty host in probes and lifecycle handlers from 1.34. Error on targets 1.34+, warning before',
  fix: 'Remove `host` (the kubelet then uses the pod IP); send a `Host` header if the app needs a virtual host',
  check(subject, ctx) {
    const error = ctx.kubernetesVersion.isAtLeast(KubernetesVersion.V1_34);
    const hooks = hooksOf(subject, ctx.kubernetesVersion);
    if (hooks.length === 0) return [];
    return hooks
      .filter((h) => typeof h.handler.httpGet?.host === 'string' && h.handler.httpGet.host.length > 0)
      .map((h) => ({
        message:
          `${describeContainer(h.ref)}: ${h.position} httpGet sets host ${JSON.stringify(h.handler.httpGet?.host)}, which sends the kubelet's ` +
          `request away from the pod ` +
          `and which Pod Security "baseline" forbids from Kubernetes 1.34; remove host and send a Host header if the app needs one`,
        field: `${h.path}.httpGet.host`,
        container: h.ref.name,
        ...(error ? { severity: Severity.ERROR } : {}),
      }));
  },
};

/**
 * The sentence for a preStop hook whose budget and shutdown reserve do not fit in the grace period. `grace` undefined
 * means the field is absent (Kubernetes then applies 30).
 */
function preStopExceedsGraceMessage(who: string, budget: number, reserve: number, grace: number | undefined): string {
  const need = budget + reserve;
  const effective = grace ?? DEFAULTS.kubernetesTerminationGracePeriodSeconds;
  const graceText =
    grace === undefined
      ? `the ${effective} s Kubernetes applies when terminationGracePeriodSeconds is absent`
      : `terminationGracePeriodSeconds ${grace}${grace === 0 ? ' (with 0 the kubelet skips preStop hooks altogether)' : ''}`;
  const consequence =
    budget >= effective
      ? `so the kubelet cuts the hook off at ${effective} s and leaves the app ${MINIMUM_GRACE_SECONDS} s after SIGTERM`
      : `so a hook that uses its budget leaves the app ${Math.max(MINIMUM_GRACE_SECONDS, effective - budget)} s after SIGTERM`;
  return (
    `${who}: preStop budget ${budget} s + shutdown reserve ${reserve} s = ${need} s does not fit in ${graceText}, ${consequence}; ` +
    `set terminationGracePeriodSeconds to at least ${need} or shorten the preStop hook`
  );
}

const PRESTOP_EXCEEDS_GRACE: Rule = {
  id: 'lifecycle-prestop-exceeds-grace',
  severity: Severity.ERROR,
  title: 'A preStop budget plus shutdown reserve longer than the grace period',
  reason:
    'The grace countdown starts before preStop; the kubelet cuts the hook off at the deadline and then gives the app as little as 2 s after ' +
    'SIGTERM (kuberuntime_container.go executePreStopHook, killContainer minimumGracePeriodInSeconds); the pod default is 30 s (SetDefaults_PodSpec). ' +
    'The budget is what the hook shows (native sleep, a timeout wrapper, an exec sleep), else the declared budget, else 10 s.',
  fix: 'Set terminationGracePeriodSeconds to at least the preStop budget plus the shutdown reserve, or shorten the hook',
  check(subject, ctx) {
    const hooks = hooksOf(subject, ctx.kubernetesVersion);
    if (hooks.length === 0) return [];
    const budgets = budgetsOf(subject);
    const grace = subject.spec.terminationGracePeriodSeconds;
    const findings: RuleFinding[] = [];
    for (const h of hooks) {
      if (h.position !== HookPosition.PRE_STOP) continue;
      // what runs: without a native sleep the target does not run (lifecycle-sleep-unsupported reports that)
      const handler = runnableHandler(h.handler, ctx.kubernetesVersion);
      if (handler === undefined) continue;
      const declared = declaredOf(budgets, h.ref.name);
      const budget = readHookBudget(handler, h.position, declared.preStop).seconds;
      const reserve = declared.shutdownReserve ?? DEFAULTS.shutdownReserveSeconds;
      if (exceedsGrace(budget + reserve, grace)) {
        findings.push({
          message: preStopExceedsGraceMessage(describeContainer(h.ref), budget, reserve, grace),
          field: `${subject.podSpecPath}.terminationGracePeriodSeconds`,
          container: h.ref.name,
        });
      }
    }
    return findings;
  },
};

const EXEC_UNBOUNDED: Rule = {
  id: 'lifecycle-exec-unbounded',
  severity: Severity.WARNING,
  title: 'A postStart exec hook without a time bound',
  reason:
    'The kubelet runs exec hooks with no timeout (handlers.go: "TODO: Pass a proper timeout value") and postStart blocks the container from ' +
    'Running until it returns, so a hanging postStart keeps the container out of Running forever. A preStop hook is not reported: the ' +
    'kubelet cuts it off at the grace period, and lifecycle-prestop-exceeds-grace judges whether it fits. A suggested bound is never ' +
    'shorter than what the hook visibly needs (the `sleep N` it runs) plus the default postStart budget.',
  fix:
    `Wrap the command in \`timeout -s KILL <seconds>\` (LifecycleHook.exec does; the image needs coreutils or busybox timeout), or declare ` +
    `the budget in the \`${HOOK_BUDGETS_ANNOTATION}\` annotation`,
  check(subject, ctx) {
    const hooks = hooksOf(subject, ctx.kubernetesVersion);
    if (hooks.length === 0) return [];
    const budgets = budgetsOf(subject);
    const findings: RuleFinding[] = [];
    for (const h of hooks) {
      const command = h.handler.exec?.command;
      if (h.position !== HookPosition.POST_START || command === undefined || command.length === 0) continue;
      const declared = declaredOf(budgets, h.ref.name)[h.position];
      const budget = readHookBudget({ exec: h.handler.exec }, h.position, declared);
      if (budget.source !== BudgetSource.DEFAULT) continue;
      const script = shellScriptIndexes(command).map((i) => command[i]);
      const sleeps = visibleSleepSeconds(script.join('\n'));
      const bound = sleeps + DEFAULTS.postStartBudgetSeconds;
      const why = sleeps > 0 ? ` (the ${sleeps} s it visibly sleeps plus ${DEFAULTS.postStartBudgetSeconds} s)` : '';
      const wrapped = ['timeout', '-s', 'KILL', String(bound), ...command];
      findings.push({
        message:
          `${describeContainer(h.ref)}: postStart exec ${JSON.stringify(command)} has no time bound, and Kubernetes puts no timeout on ` +
          `exec hooks, so a hang keeps the container out of Running; wrap it as ${JSON.stringify(wrapped)}${why} (the image needs timeout ` +
          `from coreutils or busybox) or declare its budget in the ${JSON.stringify(HOOK_BUDGETS_ANNOTATION)} annotation`,
        field: `${h.path}.exec.command`,
        container: h.ref.name,
      });
    }
    return findings;
  },
};

const POSTSTART_UNBOUNDED: Rule = {
  id: 'lifecycle-poststart-unbounded',
  severity: Severity.WARNING,
  constructSeverity: Severity.ERROR,
  title: 'A postStart httpGet hook without a declared budget',
  reason:
    "The kubelet's lifecycle HTTP client has no timeout (kubelet.go insecureContainerLifecycleHTTPClient) and postStart blocks the container " +
    'from Running until it returns; nothing cuts a hanging postStart request off. An error for safe constructs, whose author can declare ' +
    'the budget (LifecycleHook.httpGet budgetSeconds) or use a bounded exec hook; a warning for manifests.',
  fix:
    `Use an exec hook wrapped in \`timeout\`, or acknowledge the risk by declaring the budget in the \`${HOOK_BUDGETS_ANNOTATION}\` ` +
    `annotation (LifecycleHook.httpGet budgetSeconds)`,
  check(subject, ctx) {
    const hooks = hooksOf(subject, ctx.kubernetesVersion);
    if (hooks.length === 0) return [];
    const budgets = budgetsOf(subject);
    return hooks
      .filter((h) => h.position === HookPosition.POST_START && h.handler.httpGet !== undefined)
      .filter((h) => declaredOf(budgets, h.ref.name).postStart === undefined)
      .map((h) => ({
        message:
          `${describeContainer(h.ref)}: postStart httpGet on port ${JSON.stringify(h.handler.httpGet?.port)} has no time bound, because the ` +
          `kubelet's HTTP client has no timeout ` +
          `and the container does not reach Running until the request returns; use an exec hook wrapped in timeout, or declare its budget in ` +
          `the ${JSON.stringify(HOOK_BUDGETS_ANNOTATION)} annotation`,
        field: `${h.path}.httpGet`,
        container: h.ref.name,
      }));
  },
};

const BUDGET_ANNOTATION_INVALID: Rule = {
  id: 'lifecycle-budget-annotation-invalid',
  severity: Severity.ERROR,
  title: 'An unreadable hook budgets annotation',
  reason:
    `Declared hook budgets are read from the \`${HOOK_BUDGETS_ANNOTATION}\` annotation; when it cannot be read, or names a container the ` +
    `pod does not have, the budgets it meant to declare are not applied`,
  fix: `Write JSON like \`{"main":{"postStart":10,"preStop":15,"shutdownReserve":10}}\` with whole seconds, keyed by container name`,
  check(subject) {
    const text = subject.annotations[HOOK_BUDGETS_ANNOTATION];
    if (text === undefined) return [];
    const parsed = parseHookBudgetAnnotation(text);
    if (parsed.error !== undefined) {
      return [
        {
          message:
            `annotation ${JSON.stringify(HOOK_BUDGETS_ANNOTATION)} ${parsed.error}; write JSON like ` +
            `${JSON.stringify('{"main":{"preStop":15}}')}`,
          field: BUDGETS_FIELD,
        },
      ];
    }
    const names = new Set(subject.containers.map((r) => r.container.name));
    return [...parsed.budgets.keys()]
      .filter((name) => !names.has(name))
      .map((name) => ({
        message:
          `annotation ${JSON.stringify(HOOK_BUDGETS_ANNOTATION)} declares budgets for container ${JSON.stringify(name)}, which the pod ` +
          `does not have; use the container's name`,
        field: BUDGETS_FIELD,
      }));
  },
};

/** The lifecycle hook rules: where hooks are allowed, what the API server rejects, what the kubelet never runs, and time budgets. */
export const LIFECYCLE_RULES: readonly Rule[] = Object.freeze([
  NOT_ALLOWED,
  HANDLER_INVALID,
  SLEEP_UNSUPPORTED,
  TCP_SOCKET,
  HOST_SET,
  PRESTOP_EXCEEDS_GRACE,
  EXEC_UNBOUNDED,
  POSTSTART_UNBOUNDED,
  BUDGET_ANNOTATION_INVALID,
]);
