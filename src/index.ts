// The public API of cdk8s-safe-pods: explicit named exports only (nothing under src/private is reachable).

// ---- foundations -------------------------------------------------------------------------------------------
export { DEFAULTS } from './defaults';
export type { Defaults } from './defaults';
export { ManifestError } from './k8s/errors';
export { KubernetesVersion } from './k8s/version';
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

// ---- constructs --------------------------------------------------------------------------------------------
export { SafePod, MUTABLE_TAG_RULES } from './constructs/safe-pod';
export type { SafePodProps, SafeContainerProps } from './constructs/safe-pod';
export { SafePodsGuard } from './constructs/guard';
export type { SafePodsGuardOptions } from './constructs/guard';
export { SafePodsSettings, WarningMode } from './constructs/settings';
export type { SafePodsSettingsProps, ResolvedSafePodsSettings } from './constructs/settings';

// ---- images ------------------------------------------------------------------------------------------------
export {
  ImageReference,
  ImageReferenceError,
  ImageReferenceErrorReason,
  ReferenceGrammar,
  referenceGrammarFor,
  hasEdgeWhitespace,
} from './image/reference';
export type { ImageReferenceOptions } from './image/reference';
export { ImagePullPolicy, IMAGE_PULL_POLICIES, isImagePullPolicy, defaultPullPolicy, recommendedPullPolicy } from './image/pull-policy';
export type { DefaultPullPolicyOptions } from './image/pull-policy';
export { assessPinning, PinnedBy, PinningProblemKind } from './image/pinning';
export type { PinningOptions, PinningProblem, PinningAssessment } from './image/pinning';

// ---- container environment ---------------------------------------------------------------------------------
export { serviceLinkEnv, serviceFacts } from './constructs/service-facts';
export type { ServiceLike, ServiceLinkEnvOptions } from './constructs/service-facts';
export { kubeletServiceEnv, serviceEnvName, masterServiceFacts, envBlockBytes } from './env/service-env';
export type { KubeletServiceEnvOptions } from './env/service-env';
export { expandVariables, variableReferences, unresolvableReferences, assembleContainerEnv, VALUE_FROM_PLACEHOLDER } from './env/expansion';
export type { EnvEntry, ContainerEnvInput } from './env/expansion';
export { DownwardApi, addCommonDownwardEnv, COMMON_DOWNWARD_ENV } from './constructs/downward-api';
export type { DownwardApiResourceOptions } from './constructs/downward-api';

// ---- lifecycle hooks ---------------------------------------------------------------------------------------
export {
  ExecTimeout,
  HttpScheme,
  LifecycleHook,
  LifecycleHookKind,
  renderLifecycle,
  planPodHooks,
  planTerminationGracePeriod,
  validateLifecycle,
  HookPosition,
  FieldErrorType,
  SleepSupport,
  sleepSupport,
  HOOK_BUDGETS_ANNOTATION,
} from './hooks';
export type {
  ExecHookOptions,
  HttpGetHookOptions,
  LifecycleHooks,
  ContainerHooksInput,
  PlanPodHooksOptions,
  PodHooksPlan,
  TerminationGracePeriodPlan,
  FieldError,
  LifecycleJson,
  ValidateLifecycleOptions,
} from './hooks';
export type { GracePeriodFits, GracePeriodTooShort, PlanTerminationGracePeriodOptions, PreStopBudget } from './hooks/grace';
export type { ContainerKind, ExecActionJson, HttpGetActionJson, HttpHeaderJson, TcpSocketActionJson, SleepActionJson } from './hooks/types';

// ---- the rule catalogue and its entry points ---------------------------------------------------------------
export { judgeSubject, hasErrors, formatFinding, SUPPRESS_ANNOTATION_PREFIX } from './rules/judge';
export { RULES, RULE_CATALOGUE } from './rules/catalogue';
export { Severity } from './rules/types';
export type {
  Finding,
  RuleFinding,
  Rule,
  RuleInfo,
  PodSubject,
  PodSpecJson,
  ContainerJson,
  EnvVarJson,
  LifecycleHandlerJson,
  JudgeContext,
  ServiceFacts,
  RuntimeClassFacts,
  JsonObject,
} from './rules/types';
export { subjectsOf, factsOf, contextFor, checkObjects, describeSource } from './rules/subjects';
export type { ObjectFacts, ObjectFinding, CheckOptions } from './rules/subjects';
export type { SourceLocation, SourcePosition, LocatedObject } from './k8s/shapes';
export { runCli, ExitCode, STDIN_FILE } from './cli/run';
export type { CliIo, JsonFinding, JsonInputError } from './cli/run';
export { SafePodsValidation } from './plugin';
export type { SafePodsValidationProps, PluginValidationContext, PluginViolation, PluginViolatingResource } from './plugin';

// ---- RuntimeClass ------------------------------------------------------------------------------------------
export { RuntimeClass } from './constructs/runtime-class';
export type {
  IRuntimeClass,
  RuntimeClassProps,
  RuntimeClassPresetOptions,
  RuntimeClassOverhead,
  RuntimeClassScheduling,
  RuntimeClassToleration,
} from './constructs/runtime-class';
export { admitPod, AdmissionRejectionKind } from './runtime-class/admission';
export type { AdmissionResult, AdmissionRejection } from './runtime-class/admission';
export { effectiveRequests, effectiveRequestStrings } from './runtime-class/requests';
export type { ResourceQuantities } from './runtime-class/requests';
export { validateRuntimeClass, validateRuntimeClassUpdate, validateHandler, validateRuntimeClassName } from './runtime-class/validation';
export type { RuntimeClassJson } from './runtime-class/validation';
export { resolveRuntimeClass } from './runtime-class/resolve';
export type { RuntimeClassResolution } from './runtime-class/resolve';
export { ResourceQuantity, QuantityFormat, QuantityError, parseQuantity, tryParseQuantity } from './k8s/quantity';
export { TolerationOperator, TaintEffect, validateTolerations, mergeTolerations, isTolerationSuperset } from './k8s/tolerations';
export type { TolerationJson } from './k8s/tolerations';
