// The explain library: what the kubelet builds for each container of a pod, and the pod's start and stop timeline.
export { explainPod, explainObjects, onlyContainer } from './explain';
export type { ExplainObjectsOptions } from './explain';
export { configSourcesOf } from './facts';
export { formatExplainText } from './format-text';
export type { FormatExplainTextOptions } from './format-text';
export { formatExplainSvg } from './format-svg';
export {
  AdmissionOutcome,
  ConfigSourceKind,
  EnvSourceKind,
  ExplainedContainerKind,
  HookBound,
  MarkKind,
  PhaseName,
  PullPolicyOrigin,
  SpanKind,
} from './types';
export type {
  ConfigSourceFacts,
  ExplainContext,
  ExplainProblem,
  ExplainReport,
  ExplainedArgv,
  ExplainedContainer,
  ExplainedEnvFromSource,
  ExplainedEnvSize,
  ExplainedEnvVar,
  ExplainedHostname,
  ExplainedImage,
  ExplainedPod,
  ExplainedReference,
  ExplainedRuntimeClass,
  ExplainedScheduling,
  ExplainedTimeline,
  HookEvent,
  ShadowedEnvEntry,
  TimelineLane,
  TimelineMark,
  TimelinePhase,
  TimelineSpan,
} from './types';
