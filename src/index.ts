export { DEFAULTS } from './defaults';
export type { Defaults } from './defaults';
export { ManifestError } from './errors';
export { KubernetesVersion } from './k8s/version';
export { SafePod, MUTABLE_TAG_RULES } from './constructs/safe-pod';
export type { SafePodProps, SafeContainerProps } from './constructs/safe-pod';
export { SafePodsSettings, WarningMode } from './constructs/settings';
export type { SafePodsSettingsProps, ResolvedSafePodsSettings } from './constructs/settings';
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
