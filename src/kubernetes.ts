// `cdk8s-safe-pods/kubernetes`: the upstream Kubernetes behaviour the library ports, as plain functions over plain
// JSON, for programs that want the same answers as the rule catalogue (name rules, the RuntimeClass admission plugin,
// lifecycle validation, service-link variables, `$(VAR)` expansion, quantities and tolerations).

export {
  validateDns1123Label,
  validateDns1123Subdomain,
  validateDns1035Label,
  validateQualifiedName,
  validateLabelValue,
  validatePortName,
  validatePortNumber,
  validateEnvVarName,
  validateRelaxedEnvVarName,
  validateHttpHeaderName,
} from './k8s/names';
export { FieldErrorType } from './k8s/field-error';
export type { FieldError } from './k8s/field-error';
export { QuantityError } from './k8s/quantity';
export { validateTolerations, mergeTolerations, isTolerationSuperset } from './k8s/tolerations';
export type { TolerationJson } from './k8s/tolerations';
export { kubeletServiceEnv, serviceEnvName, masterServiceFacts, envBlockBytes } from './env/service-env';
export type { KubeletServiceEnvOptions } from './env/service-env';
export { variableReferences, unresolvableReferences } from './env/expansion';
export { assessPinning, isFloatingTag, PinnedBy, PinningProblemKind } from './image/pinning';
export type { PinningOptions, PinningProblem, PinningAssessment } from './image/pinning';
export { IMAGE_PULL_POLICIES, isImagePullPolicy, recommendedPullPolicy } from './image/pull-policy';
export { referenceGrammarFor } from './image/reference';
export { validateLifecycle, sleepSupport, SleepSupport, readHookBudget, BudgetSource, planTerminationGracePeriod, planPodHooks } from './hooks';
export type {
  ValidateLifecycleOptions,
  HookBudget,
  PlanTerminationGracePeriodOptions,
  PreStopBudget,
  TerminationGracePeriodPlan,
  ContainerHooksInput,
  PlanPodHooksOptions,
  PodHooksPlan,
} from './hooks';
export { admitPod, AdmissionRejectionKind } from './runtime-class/admission';
export type { AdmissionResult, AdmissionRejection } from './runtime-class/admission';
export { effectiveRequests, effectiveRequestStrings } from './runtime-class/requests';
export type { ResourceQuantities } from './runtime-class/requests';
export {
  validateRuntimeClass,
  validateRuntimeClassUpdate,
  validateHandler as validateRuntimeClassHandler,
  validateRuntimeClassName,
} from './runtime-class/validation';
export type { RuntimeClassJson } from './runtime-class/validation';
export { subjectsOf, roleOf, ObjectRole } from './rules/normalize';
export type { SubjectsOfOptions } from './rules/normalize';
