/**
 * Judging one object both ways: the judge (`checkObjects`) on the object as written, the policies on the object as
 * admission sees it, and the admission model in between.
 */
import { admissionPolicies, exportedChecks } from '../../src/admission/policies';
import type { AdmissionPolicySet } from '../../src/admission/policies';
import { Severity } from '../../src/rules/types';
import type { ParityOptions, Verdict } from './admission-model';
import { judgeVerdicts, modelVerdict } from './admission-model';
import { admit, evaluate } from './harness';

/** One rule's verdicts on one object. */
export interface RuleComparison {
  readonly rule: string;
  readonly judge: Verdict;
  readonly model: Verdict;
  readonly cel: Verdict;
  /** The policy's message when it failed, or the evaluation error. */
  readonly message?: string;
  /** Whether the policy's evaluation errored (always a bug). */
  readonly errored: boolean;
}

/** The comparison of one object, or why admission never sees it. */
export type ObjectComparison =
  { readonly admitted: false; readonly reason: string } | { readonly admitted: true; readonly rules: readonly RuleComparison[] };

const sets = new Map<string, AdmissionPolicySet>();

/** The policies for the options (generated once per option set). */
export function policiesFor(options: ParityOptions): AdmissionPolicySet {
  const key = `${options.kubernetesVersion}/${options.requireDigest}`;
  let set = sets.get(key);
  if (set === undefined) {
    set = admissionPolicies(options);
    sets.set(key, set);
  }
  return set;
}

/** Judges `raw` with the judge, the admission model and the policies, rule by exported rule. */
export function compare(raw: Record<string, unknown>, options: ParityOptions): ObjectComparison {
  const admitted = admit(raw, options.kubernetesVersion);
  if (!admitted.admitted) return admitted;
  const set = policiesFor(options);
  const judged = judgeVerdicts(raw, options);
  const rules = exportedChecks(options).map((check): RuleComparison => {
    const rule = check.rule.id;
    const index = set.policies.findIndex((p) => p.metadata.annotations['safe-pods.cdk8s.io/rules'] === rule);
    const outcome = evaluate(set.policies[index], admitted.object);
    const actions = set.bindings[index].spec.validationActions;
    const failed = outcome.result === 'fail' || outcome.result === 'error';
    return {
      rule,
      judge: judged(rule),
      model: modelVerdict(rule, raw, options, judged),
      cel: { error: failed && actions.includes('Deny'), warning: failed && actions.includes('Warn') },
      message: outcome.message,
      errored: outcome.result === 'error',
    };
  });
  return { admitted: true, rules };
}

/** `error`, `warning`, `error+warning` or `-`. */
export function show(v: Verdict): string {
  return [v.error ? Severity.ERROR : '', v.warning ? Severity.WARNING : ''].filter((x) => x).join('+') || '-';
}

/** Whether two verdicts are the same. */
export function same(a: Verdict, b: Verdict): boolean {
  return a.error === b.error && a.warning === b.warning;
}

/** Counts of a parity run, for the summary the tests print. */
export class Tally {
  /** Objects admission sees, judged both ways (per target version). */
  public objects = 0;
  /** Objects admission never sees, by reason. */
  public readonly notAdmitted = new Map<string, number>();
  /** (object, version, rule) comparisons. */
  public comparisons = 0;
  /** Comparisons where the policy says what the judge says. */
  public agreements = 0;
  /** Comparisons where the policy departs from the judge as a listed difference says, by rule. */
  public readonly listed = new Map<string, number>();
  /** Comparisons where the policy says what the judge says and the judge reports something, by rule. */
  public readonly firing = new Map<string, number>();

  /** Records one object's comparison; returns the failures (policy not as modelled, or an evaluation error). */
  public add(origin: string, version: string, c: ObjectComparison): string[] {
    if (!c.admitted) {
      const reason = c.reason.replace(/\/\d+/g, '/N');
      this.notAdmitted.set(reason, (this.notAdmitted.get(reason) ?? 0) + 1);
      return [];
    }
    this.objects++;
    const failures: string[] = [];
    for (const r of c.rules) {
      this.comparisons++;
      if (r.errored || !same(r.cel, r.model)) {
        failures.push(
          `${origin} @${version}: ${r.rule}: judge ${show(r.judge)}, admission model ${show(r.model)}, policy ${show(r.cel)}` +
            `${r.errored ? ' (evaluation error)' : ''}${r.message ? `: ${r.message}` : ''}`,
        );
      } else if (same(r.cel, r.judge)) {
        this.agreements++;
        if (r.judge.error || r.judge.warning) this.firing.set(r.rule, (this.firing.get(r.rule) ?? 0) + 1);
      } else {
        this.listed.set(r.rule, (this.listed.get(r.rule) ?? 0) + 1);
      }
    }
    return failures;
  }

  /** One paragraph for the test log. */
  public summary(title: string): string {
    const listed = [...this.listed].map(([rule, n]) => `${rule} ${n}`).join(', ') || 'none';
    const notAdmitted = [...this.notAdmitted.values()].reduce((a, b) => a + b, 0);
    return (
      `${title}: ${this.objects} objects judged both ways (${notAdmitted} never reach admission), ${this.comparisons} rule verdicts, ` +
      `${this.agreements} agreements with the judge, ${this.comparisons - this.agreements} listed differences (${listed})`
    );
  }
}
