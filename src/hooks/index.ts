export {
  BudgetSource,
  HOOK_BUDGETS_ANNOTATION,
  formatHookBudgetAnnotation,
  parseExecSleep,
  parseHookBudgetAnnotation,
  parseTimeoutWrapper,
  readHookBudget,
} from './budget';
export type { ContainerHookBudgets, HookBudget, ParsedHookBudgets, TimeoutWrapper } from './budget';
export { exceedsGrace, planTerminationGracePeriod } from './grace';
export type { PlanTerminationGracePeriodOptions, PreStopBudget, TerminationGracePeriodPlan } from './grace';
export { ExecTimeout, HttpScheme, LifecycleHook, LifecycleHookKind, hookBudgetsOf, renderLifecycle } from './hook';
export type { ExecHookOptions, HttpGetHookOptions, LifecycleHooks } from './hook';
export { planPodHooks } from './plan';
export type { ContainerHooksInput, PlanPodHooksOptions, PodHooksPlan } from './plan';
export { FieldErrorType, HookPosition } from './types';
export type { ContainerKind, FieldError, LifecycleHandlerJson, LifecycleJson } from './types';
export { SleepSupport, decodeLifecycle, sidecarsSupported, sleepSupport, validateLifecycle } from './validate';
export type { ValidateLifecycleOptions } from './validate';
