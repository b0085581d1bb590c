// The public API of cdk8s-safe-pods: explicit named exports only. Ported upstream validators live behind
// `cdk8s-safe-pods/kubernetes`, the cdk8s validation plugin behind `cdk8s-safe-pods/plugin`, and the CLI is only the
// `bin`: importing this entry loads neither the CLI, nor `fs`, nor a YAML parser.

// ---- constructs --------------------------------------------------------------------------------------------
export { SafePod, MUTABLE_TAG_RULES } from './constructs/safe-pod';
export type { SafePodProps, SafeContainerProps, SafePodSpecProps } from './constructs/safe-pod';
export { SafeDeployment, SafeStatefulSet, SafeDaemonSet, SafeJob, SafeCronJob } from './constructs/safe-workloads';
export type { SafeDeploymentProps, SafeStatefulSetProps, SafeDaemonSetProps, SafeJobProps, SafeCronJobProps } from './constructs/safe-workloads';
export type { ShutdownPlan, PodShutdown, ContainerShutdown, RolloutTerminations } from './constructs/safe-pod';
export { RuntimeClass } from './constructs/runtime-class';
export { TolerationOperator, TaintEffect } from './k8s/tolerations';
export type {
  IRuntimeClass,
  RuntimeClassProps,
  RuntimeClassPresetOptions,
  RuntimeClassOverhead,
  RuntimeClassScheduling,
  RuntimeClassToleration,
} from './constructs/runtime-class';
export { SafePodsGuard } from './constructs/guard';
export type { SafePodsGuardOptions, GuardFinding } from './constructs/guard';
export { SafePodsSettings, WarningMode } from './constructs/settings';
export type { SafePodsSettingsProps, ResolvedSafePodsSettings } from './constructs/settings';
export { SafePodsAdmissionPolicies, admissionPolicies } from './constructs/admission-policies';
export type { SafePodsAdmissionPoliciesProps } from './constructs/admission-policies';

// ---- admission (the rules as ValidatingAdmissionPolicies) -------------------------------------------------------
export type {
  AdmissionPoliciesOptions,
  AdmissionPolicySet,
  ValidatingAdmissionPolicyJson,
  ValidatingAdmissionPolicySpecJson,
  ValidatingAdmissionPolicyBindingJson,
  ValidatingAdmissionPolicyBindingSpecJson,
  ValidationAction,
  AdmissionObjectMetaJson,
  AdmissionMatchConstraintsJson,
  AdmissionResourceRuleJson,
  AdmissionNamedExpressionJson,
  AdmissionValidationJson,
} from './admission/policies';

// ---- explain (the functions and formats: cdk8s-safe-pods/explain) -------------------------------------------
export type { ExplainedPod, ExplainedContainer, ExplainedTimeline } from './explain/types';

// ---- values ------------------------------------------------------------------------------------------------
export { DEFAULTS } from './defaults';
export type { Defaults } from './defaults';
export { ManifestError } from './k8s/errors';
export type { ManifestErrorDetails } from './k8s/errors';
export { KubernetesVersion } from './k8s/version';
export { ResourceQuantity, QuantityFormat } from './k8s/quantity';
export { ImageReference, ImageReferenceError, ImageReferenceErrorReason, ReferenceGrammar } from './image/reference';
export type { ImageReferenceOptions } from './image/reference';
export { ImagePullPolicy, defaultPullPolicy } from './image/pull-policy';
export type { DefaultPullPolicyOptions } from './image/pull-policy';
export { ExecTimeout, HttpScheme, LifecycleHook, LifecycleHookKind, HOOK_BUDGETS_ANNOTATION } from './hooks';
export type { ExecHookOptions, HttpGetHookOptions, LifecycleHooks } from './hooks';
export { HookPosition } from './k8s/shapes';

// ---- container environment ---------------------------------------------------------------------------------
export { serviceLinkEnv, serviceFacts } from './constructs/service-facts';
export type { ServiceLike, ServiceLinkEnvOptions } from './constructs/service-facts';
export { expandVariables, assembleContainerEnv, VALUE_FROM_PLACEHOLDER } from './env/expansion';
export type { EnvEntry, ContainerEnvInput } from './env/expansion';
export { DownwardApi, addCommonDownwardEnv, COMMON_DOWNWARD_ENV } from './constructs/downward-api';
export type { DownwardApiResourceOptions } from './constructs/downward-api';

// ---- checks ------------------------------------------------------------------------------------------------
export { RULES, RULE_CATALOGUE } from './rules/catalogue';
export { Severity, Origin } from './rules/types';
export type { Finding, RuleFinding, Rule, RuleInfo, RuleSetting, JudgeContext, PodSubject } from './rules/types';
export type { ContainerRef, EnvRef, EnvFromRef } from './rules/normalize';
export { checkObjects } from './constructs/_judge';
export type { CheckOptions, CheckResult, ObjectFinding } from './rules/check';
export { formatFinding } from './rules/format';
export type { FindingSubject } from './rules/format';
export { SUPPRESS_ANNOTATION_PREFIX } from './rules/suppressions';

// ---- shapes ------------------------------------------------------------------------------------------------
export type {
  JsonObject,
  PodSpecJson,
  ContainerJson,
  EnvVarJson,
  LifecycleJson,
  LifecycleHandlerJson,
  ExecActionJson,
  HttpGetActionJson,
  HttpHeaderJson,
  TcpSocketActionJson,
  SleepActionJson,
  ContainerKind,
  ServiceFacts,
  RuntimeClassFacts,
  LocatedObject,
  SourceLocation,
  SourcePosition,
} from './k8s/shapes';
