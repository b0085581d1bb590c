import { DEFAULTS } from '../defaults';
import type { ContainerHookBudgets, ParsedHookBudgets } from '../hooks/budget';
import { BudgetSource, HOOK_BUDGETS_ANNOTATION, parseHookBudgetAnnotation, readHookBudget } from '../hooks/budget';
import { preStopExceedsGraceMessage } from '../hooks/grace';
import { sleepUnsupportedMessage } from '../hooks/messages';
import type { LifecycleHandlerJson, LifecycleJson } from '../hooks/types';
import { FieldErrorType, HOOK_POSITIONS, HookPosition } from '../hooks/types';
import { SleepSupport, sidecarsSupported, sleepSupport, validateLifecycle } from '../hooks/validate';
import { KubernetesVersion } from '../k8s/version';
import type { ContainerRef, JudgeContext, PodSubject, Rule, RuleFinding } from './types';
import { Severity, containersOf, describeContainer } from './types';

const BUDGETS_FIELD = `metadata.annotations[${JSON.stringify(HOOK_BUDGETS_ANNOTATION)}]`;

function isObject(x: unknown): x is object {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

function lifecycleOf(ref: ContainerRef): LifecycleJson | undefined {
  const l = ref.container.lifecycle;
  return isObject(l) ? (l as LifecycleJson) : undefined;
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

/** The hooks of every container that may have hooks. */
function hooksOf(subject: PodSubject, version: KubernetesVersion): HookRef[] {
  const out: HookRef[] = [];
  for (const ref of containersOf(subject)) {
    const lifecycle = lifecycleOf(ref);
    if (lifecycle === undefined || !hooksAllowed(ref, version)) continue;
    for (const position of HOOK_POSITIONS) {
      const handler = lifecycle[position];
      if (isObject(handler)) out.push({ ref, position, handler, path: `${ref.path}.lifecycle.${position}` });
    }
  }
  return out;
}

function sleepRuns(version: KubernetesVersion): boolean {
  const s = sleepSupport(version);
  return s === SleepSupport.POSITIVE || s === SleepSupport.NON_NEGATIVE;
}

/** The lifecycle without `sleep` (reported by its own rule on targets that do not run it); a sleep-only hook is removed. */
function withoutSleep(lifecycle: LifecycleJson): LifecycleJson {
  const out: { postStart?: LifecycleHandlerJson; preStop?: LifecycleHandlerJson } = {};
  for (const position of HOOK_POSITIONS) {
    const h = lifecycle[position];
    if (!isObject(h)) continue;
    const { sleep, ...rest } = h;
    if (sleep !== undefined && Object.keys(rest).length === 0) continue;
    out[position] = rest;
  }
  return out;
}

function budgetsOf(subject: PodSubject): ParsedHookBudgets {
  return parseHookBudgetAnnotation(subject.annotations[HOOK_BUDGETS_ANNOTATION]);
}

function declaredOf(budgets: ParsedHookBudgets, container: string): ContainerHookBudgets {
  return budgets.budgets.get(container) ?? {};
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
    for (const ref of containersOf(subject)) {
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
      findings.push({ message: `${who}: ${why}`, field: `${ref.path}.lifecycle`, container: ref.container.name });
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
    for (const ref of containersOf(subject)) {
      const lifecycle = lifecycleOf(ref);
      if (lifecycle === undefined || !hooksAllowed(ref, version)) continue;
      const errors = validateLifecycle(sleepRuns(version) ? lifecycle : withoutSleep(lifecycle), {
        version,
        containerKind: ref.list,
        restartPolicy: ref.container.restartPolicy,
        terminationGracePeriodSeconds: subject.podSpec.terminationGracePeriodSeconds,
        containerPath: ref.path,
      });
      for (const e of errors) {
        const local = e.field.slice(ref.path.length + 1);
        const text = e.detail.length > 0 ? `${ERROR_TYPE_TEXT[e.type]}: ${e.detail}` : ERROR_TYPE_TEXT[e.type];
        findings.push({
          message: `${describeContainer(ref)}: ${local} is rejected by the ${versionText(ctx)} API server (${text}); ${fixFor(e.type, e.detail)}`,
          field: e.field,
          container: ref.container.name,
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
    return hooksOf(subject, ctx.kubernetesVersion)
      .filter((h) => h.handler.sleep !== undefined)
      .map((h) => ({
        message: `${describeContainer(h.ref)}: ${sleepUnsupportedMessage(h.position, h.handler.sleep?.seconds, ctx.kubernetesVersion)}`,
        field: `${h.path}.sleep`,
        container: h.ref.container.name,
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
    return hooksOf(subject, ctx.kubernetesVersion)
      .filter((h) => h.handler.tcpSocket !== undefined)
      .map((h) => ({
        message:
          `${describeContainer(h.ref)}: ${h.position} uses tcpSocket ${JSON.stringify(h.handler.tcpSocket)}, which the API accepts but the ` +
          `kubelet never runs ` +
          `(the hook fails with "invalid handler"${h.position === HookPosition.POST_START ? ' and the container is killed' : ''}); use ` +
          `httpGet, exec or sleep instead`,
        field: `${h.path}.tcpSocket`,
        container: h.ref.container.name,
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
    return hooksOf(subject, ctx.kubernetesVersion)
      .filter((h) => typeof h.handler.httpGet?.host === 'string' && h.handler.httpGet.host.length > 0)
      .map((h) => ({
        message:
          `${describeContainer(h.ref)}: ${h.position} httpGet sets host ${JSON.stringify(h.handler.httpGet?.host)}, which sends the kubelet's ` +
          `request away from the pod ` +
          `and which Pod Security "baseline" forbids from Kubernetes 1.34; remove host and send a Host header if the app needs one`,
        field: `${h.path}.httpGet.host`,
        container: h.ref.container.name,
        ...(error ? { severity: Severity.ERROR } : {}),
      }));
  },
};

const PRESTOP_EXCEEDS_GRACE: Rule = {
  id: 'lifecycle-prestop-exceeds-grace',
  severity: Severity.ERROR,
  title: 'A preStop budget plus shutdown reserve longer than the grace period',
  reason:
    'The grace countdown starts before preStop; the kubelet cuts the hook off at the deadline and then gives the app as little as 2 s after ' +
    'SIGTERM (kuberuntime_container.go executePreStopHook, killContainer minimumGracePeriodInSeconds); the pod default is 30 s (SetDefaults_PodSpec)',
  fix: 'Set terminationGracePeriodSeconds to at least the preStop budget plus the shutdown reserve, or shorten the hook',
  check(subject, ctx) {
    const budgets = budgetsOf(subject);
    const grace = subject.podSpec.terminationGracePeriodSeconds;
    const effective = grace ?? DEFAULTS.kubernetesTerminationGracePeriodSeconds;
    const findings: RuleFinding[] = [];
    for (const h of hooksOf(subject, ctx.kubernetesVersion)) {
      if (h.position !== HookPosition.PRE_STOP) continue;
      // on targets without the native sleep, what runs is the rest of the hook (the sleep is reported by lifecycle-sleep-unsupported)
      const { sleep, ...rest } = h.handler;
      const handler = sleepRuns(ctx.kubernetesVersion) ? h.handler : rest;
      if (sleep !== undefined && handler === rest && Object.keys(rest).length === 0) continue;
      const declared = declaredOf(budgets, h.ref.container.name);
      const budget = readHookBudget(handler, h.position, declared.preStop).seconds;
      const reserve = declared.shutdownReserve ?? DEFAULTS.shutdownReserveSeconds;
      if (budget + reserve > effective || effective === 0) {
        findings.push({
          message: preStopExceedsGraceMessage(h.ref.container.name, budget, reserve, grace).replace(/^container "[^"]*"/, describeContainer(h.ref)),
          field: `${subject.podSpecPath}.terminationGracePeriodSeconds`,
          container: h.ref.container.name,
        });
      }
    }
    return findings;
  },
};

const EXEC_UNBOUNDED: Rule = {
  id: 'lifecycle-exec-unbounded',
  severity: Severity.WARNING,
  title: 'An exec lifecycle hook without a time bound',
  reason:
    'The kubelet runs exec hooks with no timeout (handlers.go: "TODO: Pass a proper timeout value"): a hanging postStart keeps the container ' +
    'out of Running forever, a hanging preStop uses up the grace period',
  fix:
    `Wrap the command in \`timeout -s KILL <seconds>\` (LifecycleHook.exec does; the image needs coreutils or busybox timeout), or declare ` +
    `the budget in the \`${HOOK_BUDGETS_ANNOTATION}\` annotation`,
  check(subject, ctx) {
    const budgets = budgetsOf(subject);
    const findings: RuleFinding[] = [];
    for (const h of hooksOf(subject, ctx.kubernetesVersion)) {
      const command = h.handler.exec?.command;
      if (!Array.isArray(command) || command.length === 0) continue;
      const declared = declaredOf(budgets, h.ref.container.name)[h.position];
      const budget = readHookBudget({ exec: h.handler.exec }, h.position, declared);
      if (budget.source !== BudgetSource.DEFAULT) continue;
      const wrapped = ['timeout', '-s', 'KILL', String(budget.seconds), ...command];
      findings.push({
        message:
          `${describeContainer(h.ref)}: ${h.position} exec ${JSON.stringify(command)} has no time bound, and Kubernetes puts no timeout on ` +
          `exec hooks ` +
          `(${h.position === HookPosition.POST_START ? 'a hang keeps the container out of Running' : 'a hang uses up the grace period'}); ` +
          `wrap it as ${JSON.stringify(wrapped)} (the image needs timeout from coreutils or busybox) or declare its budget in the ` +
          `${JSON.stringify(HOOK_BUDGETS_ANNOTATION)} annotation`,
        field: `${h.path}.exec.command`,
        container: h.ref.container.name,
      });
    }
    return findings;
  },
};

const POSTSTART_UNBOUNDED: Rule = {
  id: 'lifecycle-poststart-unbounded',
  severity: Severity.WARNING,
  title: 'A postStart httpGet hook without a declared budget',
  reason:
    "The kubelet's lifecycle HTTP client has no timeout (kubelet.go insecureContainerLifecycleHTTPClient) and postStart blocks the container " +
    'from Running until it returns; nothing cuts a hanging postStart request off',
  fix:
    `Use an exec hook wrapped in \`timeout\`, or acknowledge the risk by declaring the budget in the \`${HOOK_BUDGETS_ANNOTATION}\` ` +
    `annotation (LifecycleHook.httpGet budgetSeconds)`,
  check(subject, ctx) {
    const budgets = budgetsOf(subject);
    return hooksOf(subject, ctx.kubernetesVersion)
      .filter((h) => h.position === HookPosition.POST_START && isObject(h.handler.httpGet))
      .filter((h) => declaredOf(budgets, h.ref.container.name).postStart === undefined)
      .map((h) => ({
        message:
          `${describeContainer(h.ref)}: postStart httpGet on port ${JSON.stringify(h.handler.httpGet?.port)} has no time bound, because the ` +
          `kubelet's HTTP client has no timeout ` +
          `and the container does not reach Running until the request returns; use an exec hook wrapped in timeout, or declare its budget in ` +
          `the ${JSON.stringify(HOOK_BUDGETS_ANNOTATION)} annotation`,
        field: `${h.path}.httpGet`,
        container: h.ref.container.name,
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
    const names = new Set(containersOf(subject).map((r) => r.container.name));
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
