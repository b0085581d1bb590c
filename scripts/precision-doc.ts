/**
 * Writes docs/precision.md: precision per rule on the real-world corpus, what the rework of issue 11 changed, the known
 * misses, and what the peer linters say on their own fixtures. `npx ts-node --transpile-only scripts/precision-doc.ts`
 * rewrites the page; test/real-world.test.ts fails when the page is not what this script would write.
 */
import * as fs from 'fs';
import * as path from 'path';
import { RULE_CATALOGUE, ruleInfo } from '../src/rules/catalogue';
import type { Expectations, PeerExpectation, ProjectRun, Review } from '../test/support/real-world';
import { checkName, loadExpectations, peerCheckOf, percent, precisionRows, review, runCorpus } from '../test/support/real-world';

const DOC = path.join(__dirname, '..', 'docs', 'precision.md');

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function code(text: string): string {
  return `\`${text}\``;
}

function table(header: readonly string[], rows: ReadonlyArray<readonly (string | number)[]>, right: readonly number[] = []): string {
  const align = header.map((_, i) => (right.includes(i) ? '---:' : '---'));
  return [header, align, ...rows].map((r) => `| ${r.map((c) => cell(String(c))).join(' | ')} |`).join('\n');
}

function countBy<T>(items: readonly T[], key: (t: T) => string): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const t of items) counts.set(key(t), (counts.get(key(t)) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}

function objectText(o: { kind: string; name: string; namespace?: string; container?: string }): string {
  const name = o.namespace !== undefined ? `${o.namespace}/${o.name}` : o.name;
  return `${o.kind} "${name}"${o.container !== undefined ? `, container "${o.container}"` : ''}`;
}

function corpusSection(runs: readonly ProjectRun[]): string {
  const rows = runs.map((r) => [
    code(r.project),
    r.files.length,
    r.objects.length,
    r.judged,
    r.findings.length,
    r.findings.filter((f) => f.severity === 'error').length,
    r.findings.filter((f) => f.severity === 'warning').length,
  ]);
  const sum = (i: number): number => rows.reduce((n, r) => n + (r[i] as number), 0);
  rows.push(['**all**', sum(1), sum(2), sum(3), sum(4), sum(5), sum(6)]);
  const notJudged = new Map<string, number>();
  for (const r of runs) for (const [kind, n] of Object.entries(r.notJudged)) notJudged.set(kind, (notJudged.get(kind) ?? 0) + n);
  const skipped = [...notJudged.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const unreadable = runs.flatMap((r) => r.unreadable);
  return [
    '## Corpus',
    '',
    table(['Project', 'Files', 'Objects', 'Judged', 'Findings', 'Errors', 'Warnings'], rows, [1, 2, 3, 4, 5, 6]),
    '',
    `Judged objects are Pods and workloads with a pod template (built-in kinds, and custom resources such as Argo ` +
      `Rollouts and OpenShift DeploymentConfigs by the shape of their template). Custom resources in which no pod ` +
      `template was found (${skipped.reduce((n, [, c]) => n + c, 0)}): ${skipped.map(([k, n]) => `${k} ×${n}`).join(', ')}. ` +
      `The other objects are built-in kinds without a pod spec (Services, ConfigMaps, RBAC, ...). ` +
      `${unreadable.length} files the reader refuses are left out (see below).`,
  ].join('\n');
}

function precisionSection(result: Review): string {
  const rows = precisionRows(result.reviewed);
  const bySeverity = (severity: string): [number, number, number] => {
    const rs = rows.filter((r) => r.severity === severity);
    return [rs.reduce((n, r) => n + r.findings, 0), rs.reduce((n, r) => n + r.truePositives, 0), rs.reduce((n, r) => n + r.falsePositives, 0)];
  };
  const [ef, et, ex] = bySeverity('error');
  const [wf, wt, wx] = bySeverity('warning');
  const body = rows.map((r) => [code(r.rule), r.severity, r.findings, r.truePositives, r.falsePositives, percent(r.truePositives, r.findings)]);
  body.push(['**errors**', '', ef, et, ex, percent(et, ef)]);
  body.push(['**warnings**', '', wf, wt, wx, percent(wt, wf)]);
  body.push(['**all**', '', ef + wf, et + wt, ex + wx, `**${percent(et + wt, ef + wf)}**`]);
  const fired = new Set(rows.map((r) => r.rule));
  const silent = RULE_CATALOGUE.filter((r) => !fired.has(r.id)).map((r) => code(r.id));
  return [
    '## Precision per rule',
    '',
    'Precision is true findings / all findings. A finding is true when the manifest really has the problem the ' +
      "rule's `reason` describes; each verdict has a one-line why in `expectations.json`.",
    '',
    table(['Rule', 'Severity', 'Findings', 'True', 'False', 'Precision'], body, [2, 3, 4, 5]),
    '',
    `**False positives at error severity: ${ex}.** The corpus test fails on any. The false positives that remain are warnings: ` +
      result.reviewed
        .filter((r) => r.expectation.verdict === 'false-positive')
        .map((r) => `${code(r.finding.rule)} on ${r.finding.file}, ${objectText(r.finding)} (${r.expectation.why})`)
        .join('; ') +
      '.',
    '',
    `Rules of the catalogue that do not fire on the corpus (${silent.length}): ${silent.join(', ')}. Their precision is measured on ` +
      'the vectors of their own tests, not here.',
  ].join('\n');
}

function reworkSection(expectations: Expectations, result: Review): string {
  const old = result.reviewed.filter((r) => r.expectation.added === undefined);
  const oldTrue = old.filter((r) => r.expectation.verdict === 'true-positive').length;
  const oldFalse = old.length - oldTrue + expectations.fixedFalsePositives.length;
  const oldAll = old.length + expectations.fixedFalsePositives.length;
  const fixed = countBy(expectations.fixedFalsePositives, (f) => `${f.rule}\u0000${f.fixedBy}`).map(([k, n]) => {
    const [rule, by] = k.split('\u0000');
    return [code(rule), ruleInfo(rule)?.severity ?? '', n, by];
  });
  const added = result.reviewed.filter((r) => r.expectation.added !== undefined);
  const addedRows = countBy(added, (r) => `${r.expectation.added}\u0000${r.finding.rule}\u0000${r.expectation.verdict}`).map(([k, n]) => {
    const [why, rule, verdict] = k.split('\u0000');
    return [why, code(rule), n, verdict === 'true-positive' ? 'true' : 'false'];
  });
  return [
    '## What the rework of issue 11 changed',
    '',
    `Before the rework the rules made ${oldAll} findings on the same corpus: ${oldTrue} true, ${oldFalse} false ` +
      `(precision ${percent(oldTrue, oldAll)}). The rework removed ${expectations.fixedFalsePositives.length} of the ${oldFalse} ` +
      'false positives; they are kept in `fixedFalsePositives`, and the test fails if one comes back:',
    '',
    table(['Rule', 'Severity', 'False positives removed', 'How'], fixed, [2]),
    '',
    `The rework added ${added.length} findings, each reviewed:`,
    '',
    table(['What made it appear', 'Rule', 'Findings', 'Verdict'], addedRows, [2]),
  ].join('\n');
}

function acceptedSection(expectations: Expectations): string {
  const rows = expectations.findingsWhenAccepted.map((a) => [a.file, objectText(a), code(a.rule), a.why]);
  return [
    '## When a mutable tag is accepted',
    '',
    'A mutable tag can be accepted for one container by suppressing `image-not-pinned` with a reason. The test runs each ' +
      'project a second time with that suppression planted for the containers below, all of which pull a mutable tag with ' +
      '`IfNotPresent` or `Never`: the run must report the same findings minus the suppressed ones, plus ' +
      '`image-mutable-tag-pull-policy` for each of them.',
    '',
    table(['File', 'Object', 'Finding', 'Why it is true'], rows),
  ].join('\n');
}

function missesSection(expectations: Expectations): string {
  const rows = expectations.knownMisses.map((m) => [m.file, objectText(m), code(m.rule), m.why]);
  const would = expectations.wouldBeFalsePositives.map((w) => [w.file, objectText(w), code(w.rule), w.status, w.note]);
  const unreadable = expectations.unreadableFiles.map((u) => [
    u.file,
    `${u.error} (line ${u.line})`,
    u.findingsWhenRead.length === 0 ? 'none' : u.findingsWhenRead.map((f) => `${code(f.rule)} ${objectText(f)}`).join('; '),
  ]);
  return [
    '## Known misses',
    '',
    `Where a rule should fire and does not (${rows.length}):`,
    '',
    table(['File', 'Object', 'Rule', 'Why'], rows),
    '',
    '## False positives a wider judge would add',
    '',
    'Findings that judging more objects would add and that would be wrong, with what the judge does today (the test checks the status):',
    '',
    table(['File', 'Object', 'Rule', 'Status', 'Note'], would),
    '',
    '## Files the reader refuses',
    '',
    'These files have duplicate mapping keys, which `kubectl` accepts (the last key wins, with a warning) and the reader ' +
      "refuses; they are left out of their project's run. Once the reader reports per-file errors and reads them, the test " +
      'fails until their findings are reviewed like the others.',
    '',
    table(['File', 'Error', 'Findings once read'], unreadable),
  ].join('\n');
}

function agrees(p: PeerExpectation): boolean {
  return p.expects === p.ours.verdict;
}

function peersSection(expectations: Expectations, result: Review): string {
  const groups = new Map<string, PeerExpectation[]>();
  for (const p of result.peers) {
    const key = `${p.peer}\u0000${checkName(p.check)}`;
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  const rows = [...groups.values()].map((ps) => {
    const check = peerCheckOf(expectations, ps[0]);
    return [
      check.peer,
      code(check.check),
      ps.length,
      ps.filter(agrees).length,
      ps.filter((p) => !agrees(p)).length,
      check.rules.length > 0 ? check.rules.map(code).join(', ') + (check.requireDigest ? ' (with `--require-digest`)' : '') : 'none',
      ps.every(agrees) ? '' : (check.differ ?? ''),
    ];
  });
  const total = result.peers.length;
  const agreeing = result.peers.filter(agrees).length;
  const disagreements = result.peers
    .filter((p) => !agrees(p))
    .map((p) => [
      `${p.peer} ${code(p.check)}`,
      p.file,
      objectText(p),
      p.expects,
      p.ours.verdict,
      p.ours.verdict === 'not-judged' ? '' : [...(p.ours.rules ?? []).map(code), ...(p.ours.otherRules ?? []).map((r) => `(${code(r)})`)].join(', '),
    ]);
  return [
    '## Peers on their own fixtures',
    '',
    "The corpus holds the peer linters' own test fixtures for the checks they share with us. For each fixture, what the " +
      "peer's test expects, and what we say: `fail` when one of our rules for the same question reports the object (or the " +
      `container the peer names). We agree on ${agreeing} of ${total} (${percent(agreeing, total)}).`,
    '',
    table(['Peer', 'Check', 'Fixtures', 'Agree', 'Disagree', 'Our rules', 'Why we differ'], rows, [2, 3, 4]),
    '',
    'Where we disagree (our findings of other rules on the same object in parentheses):',
    '',
    table(['Peer check', 'File', 'Object', 'Peer expects', 'We say', 'Our findings'], disagreements),
  ].join('\n');
}

/** The page, from the expectations, the runs and their review. */
export function renderPrecisionDoc(expectations: Expectations, runs: readonly ProjectRun[], result: Review): string {
  return [
    '# Precision on real-world manifests',
    '',
    '<!-- Generated by scripts/precision-doc.ts from a run of the judge and test/fixtures/real-world/expectations.json; ' +
      'test/real-world.test.ts fails when this page is stale. Regenerate: npx ts-node --transpile-only scripts/precision-doc.ts -->',
    '',
    'How often is a finding right on manifests nobody here wrote? The judge runs over a corpus of public manifests ' +
      '(`test/fixtures/real-world/`; sources, commits and licences in its `SOURCES.md`) as a CI job would: one run per ' +
      'project, Kubernetes 1.30, the Services of the whole project known to its pods. Every finding has a reviewed verdict ' +
      'in `expectations.json`, and `REVIEW.md` there explains the classes of verdicts. The test fails on a finding without a ' +
      'verdict, on a lost true positive and on any false positive at error severity.',
    '',
    corpusSection(runs),
    '',
    precisionSection(result),
    '',
    reworkSection(expectations, result),
    '',
    acceptedSection(expectations),
    '',
    missesSection(expectations),
    '',
    peersSection(expectations, result),
    '',
  ].join('\n');
}

if (require.main === module) {
  void (async () => {
    const expectations = loadExpectations();
    const runs = await runCorpus(expectations);
    fs.writeFileSync(DOC, renderPrecisionDoc(expectations, runs, review(expectations, runs)));
  })();
}
