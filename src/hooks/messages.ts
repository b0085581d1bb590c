import type { KubernetesVersion } from '../k8s/version';
import type { HookPosition } from './types';

/**
 * The sentence for a native `sleep` hook on a target that does not run it (before 1.30), without subject.
 * It offers the exec sleep (and its distroless caveat) and a newer target.
 */
export function sleepUnsupportedMessage(position: HookPosition, seconds: number | undefined, version: KubernetesVersion): string {
  const s = seconds ?? 0;
  return (
    `${position} uses the native sleep action ${JSON.stringify({ seconds: s })}, which Kubernetes ${version} does not run ` +
    '(PodLifecycleSleepAction is on by default from 1.30; older API servers drop or reject the field); ' +
    `use an exec sleep (exec ${JSON.stringify(['sleep', String(s)])}, LifecycleHook.execSleep(${s}), which needs a sleep binary in the image, ` +
    'so not distroless) or target Kubernetes 1.30 or newer'
  );
}

/** The sentence for a zero-second native `sleep` on a target that requires at least 1 (1.30–1.32), without subject. */
export function sleepZeroMessage(position: HookPosition, version: KubernetesVersion): string {
  return (
    `${position} sleeps ${JSON.stringify({ seconds: 0 })}, which Kubernetes ${version} rejects (zero seconds are accepted from 1.33, ` +
    'PodLifecycleSleepActionAllowZero); sleep at least 1 second, drop the hook, or target Kubernetes 1.33 or newer'
  );
}
