import type { IConstruct } from 'constructs';
import type { JudgeContext } from '../rules/types';
import type { SynthPass } from './_synth-pass';
import type { ResolvedSafePodsSettings } from './settings';

/**
 * The judge context for a construct: its settings plus the facts of the whole app (Services, RuntimeClasses),
 * computed once per synth pass (or afresh when called outside a synth).
 */
export function judgeContextFor(_scope: IConstruct, settings: ResolvedSafePodsSettings, _pass?: SynthPass): JudgeContext {
  return {
    kubernetesVersion: settings.kubernetesVersion,
    requireDigest: settings.requireDigest,
  };
}
