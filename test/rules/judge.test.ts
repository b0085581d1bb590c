import { KubernetesVersion } from '../../src/k8s/version';
import { judgeSubject } from '../../src/rules/judge';
import { SUPPRESS_ANNOTATION_PREFIX } from '../../src/rules/suppressions';
import { podSubject } from '../support/subjects';
import type { JudgeContext, PodSubject, Rule } from '../../src/rules/types';
import { Severity } from '../../src/rules/types';

const ctx: JudgeContext = { kubernetesVersion: KubernetesVersion.V1_27, requireDigest: false };

// a test rule: every container named "bad" is a finding
const NO_BAD: Rule = {
  id: 'no-bad',
  severity: Severity.ERROR,
  title: 'no container named bad',
  reason: 'test',
  fix: 'rename it',
  check: (s) => s.containers.flatMap((c) => (c.name === 'bad' ? [{ field: `${c.path}.name`, container: c.name, message: 'bad' }] : [])),
};
const WARN_ALL: Rule = { ...NO_BAD, id: 'warn-all', severity: Severity.WARNING, check: () => [{ field: 'spec', message: 'w' }] };

function subject(annotations: Record<string, string>): PodSubject {
  return podSubject({ containers: [{ name: 'bad' }, { name: 'ok' }] }, { name: 'p', annotations });
}

describe('judgeSubject', () => {
  test('adds the rule id and severity to what a rule reports', () => {
    expect(judgeSubject(subject({}), ctx, [NO_BAD, WARN_ALL])).toEqual([
      { rule: 'no-bad', severity: 'error', field: 'spec.containers[0].name', container: 'bad', message: 'bad' },
      { rule: 'warn-all', severity: 'warning', field: 'spec', message: 'w' },
    ]);
  });

  test('an object-wide suppression with a reason silences the rule', () => {
    const findings = judgeSubject(subject({ [`${SUPPRESS_ANNOTATION_PREFIX}no-bad`]: 'legacy name, tracked in JIRA-1' }), ctx, [NO_BAD]);
    expect(findings).toEqual([]);
  });

  test('a container suppression silences the rule for that container only', () => {
    expect(judgeSubject(subject({ [`${SUPPRESS_ANNOTATION_PREFIX}no-bad.bad`]: 'reason' }), ctx, [NO_BAD])).toEqual([]);
    expect(judgeSubject(subject({ [`${SUPPRESS_ANNOTATION_PREFIX}no-bad.ok`]: 'reason' }), ctx, [NO_BAD]).map((f) => f.rule)).toEqual(['no-bad']);
  });

  test('a suppression without a reason is itself an error and suppresses nothing', () => {
    const findings = judgeSubject(subject({ [`${SUPPRESS_ANNOTATION_PREFIX}no-bad`]: '  ' }), ctx, [NO_BAD]);
    expect(findings.map((f) => [f.rule, f.severity])).toEqual([
      ['suppression-without-reason', 'error'],
      ['no-bad', 'error'],
    ]);
  });

  test('a suppression naming an unknown rule is a warning', () => {
    const findings = judgeSubject(subject({ [`${SUPPRESS_ANNOTATION_PREFIX}no-bda`]: 'typo' }), ctx, [NO_BAD]);
    expect(findings.map((f) => [f.rule, f.severity])).toEqual([
      ['suppression-unknown-rule', 'warning'],
      ['no-bad', 'error'],
    ]);
  });
});
