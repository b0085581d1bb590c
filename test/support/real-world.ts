/**
 * The real-world corpus (`test/fixtures/real-world/`): runs the judge over it as REVIEW.md describes, holds the reviewed
 * expectations against the findings, and measures precision. Used by test/real-world.test.ts and by
 * scripts/precision-doc.ts, which writes docs/precision.md from the same numbers.
 *
 * How a run is made: one run per project folder (`<owner>+<repo>`), over every `*.yaml`/`*.yml`/`*.json` of the
 * folder including dot-folders (Kyverno's `.chainsaw-test`, `.kyverno-test`, which the CLI's folder walk skips),
 * Kubernetes 1.30, the Services of the whole folder known to its pods (as when the folder is applied to one namespace).
 */
import * as fs from 'fs';
import * as path from 'path';
import type { LocatedObject } from '../../src/k8s/shapes';
import { KubernetesVersion } from '../../src/k8s/version';
import { readManifestFile } from '../../src/io/files';
import type { CheckOptions, ObjectFinding } from '../../src/rules/check';
import { checkObjects } from '../../src/rules/check';
import { isJsonObject, ObjectRole, roleOf } from '../../src/rules/normalize';
import { suppressionKey } from '../../src/rules/suppressions';

/** The corpus root. */
export const CORPUS = path.join(__dirname, '..', 'fixtures', 'real-world');

/** The reviewed expectations. */
export const EXPECTATIONS_FILE = path.join(CORPUS, 'expectations.json');

/** The options of every run: the version REVIEW.md names. */
export const RUN_OPTIONS: CheckOptions = { kubernetesVersion: KubernetesVersion.V1_30 };

const EXTENSIONS = ['.yaml', '.yml', '.json'];

// ---- the expectations file -----------------------------------------------------------------------------------------

/** Whether a finding is right: the manifest really has the problem the rule describes (its `reason`). */
export type Verdict = 'true-positive' | 'false-positive';

/** Where a finding is: what an expectation matches a finding on. */
export interface FindingKey {
  readonly file: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  readonly container?: string;
  readonly rule: string;
  readonly field: string;
  /** Tie-breaker: the 0-based YAML document, only where one file holds several objects of that kind and name. */
  readonly document?: number;
  /** Tie-breaker: a part of the message, only where one field carries several findings of one rule. */
  readonly messageIncludes?: string;
}

/** A reviewed finding. */
export interface Expectation extends FindingKey {
  readonly verdict: Verdict;
  /** One line: why the verdict. */
  readonly why: string;
  /** For findings the rework of issue 11 added: what made them appear (a new rule, pod templates by shape, ...). */
  readonly added?: string;
}

/** A finding that appears only once a mutable tag is accepted (the pinning rule `accept` suppressed for the container). */
export interface AcceptedExpectation extends Expectation {
  readonly accept: string;
}

/** A false positive of the old rules that the rework removed: it must stay away. */
export interface FixedFalsePositive extends FindingKey {
  readonly why: string;
  readonly fixedBy: string;
}

/** Where a rule should fire and does not. */
export interface KnownMiss extends FindingKey {
  readonly why: string;
}

/** A finding a wider judge would add that is wrong, and what the judge does today. */
export interface WouldBeFalsePositive extends FindingKey {
  readonly verdict: 'false-positive';
  readonly why: string;
  /** `quiet` (judged, and the rule does not fire: tested) or `not-judged` (the object is not judged: tested). */
  readonly status: 'quiet' | 'not-judged';
  readonly note: string;
}

/** A file the reader refuses, and what a reader that accepts it should find. */
export interface UnreadableFileExpectation {
  readonly file: string;
  readonly error: string;
  readonly line: number;
  readonly note: string;
  readonly findingsWhenRead: ReadonlyArray<Omit<Expectation, 'file'>>;
}

/** A check of a peer linter, and the rules of ours that answer the same question. */
export interface PeerCheck {
  readonly peer: string;
  readonly check: string;
  /** Our rules for the same question; the object fails with us when one of them reports it. */
  readonly rules: readonly string[];
  /** Judged with `requireDigest` (the CLI's `--require-digest`). */
  readonly requireDigest?: boolean;
  /** Why our verdicts differ from the peer's, where they do. */
  readonly differ?: string;
}

/** What we say on a peer's fixture. */
export interface OurVerdict {
  readonly verdict: 'pass' | 'fail' | 'not-judged';
  /** Our findings of the check's `rules` on the object (or container). */
  readonly rules?: readonly string[];
  /** Our other findings on it. */
  readonly otherRules?: readonly string[];
}

/** What a peer's own test expects on one of its fixtures, and what we say. */
export interface PeerExpectation {
  readonly file: string;
  readonly kind: string;
  readonly name: string;
  readonly document?: number;
  readonly container?: string;
  readonly peer: string;
  /** The peer's check; `check/sub-rule` where the peer's test names one rule of a policy. */
  readonly check: string;
  readonly expects: 'pass' | 'fail';
  readonly source: string;
  readonly ours: OurVerdict;
}

/** `test/fixtures/real-world/expectations.json`. */
export interface Expectations {
  readonly description: string;
  readonly run: Readonly<Record<string, string>>;
  readonly findings: readonly Expectation[];
  readonly findingsWhenAccepted: readonly AcceptedExpectation[];
  readonly fixedFalsePositives: readonly FixedFalsePositive[];
  readonly knownMisses: readonly KnownMiss[];
  readonly wouldBeFalsePositives: readonly WouldBeFalsePositive[];
  readonly unreadableFiles: readonly UnreadableFileExpectation[];
  readonly peerChecks: readonly PeerCheck[];
  readonly peers: readonly PeerExpectation[];
}

/** Reads the expectations file. */
export function loadExpectations(): Expectations {
  return JSON.parse(fs.readFileSync(EXPECTATIONS_FILE, 'utf8')) as Expectations;
}

// ---- reading and judging -------------------------------------------------------------------------------------------

/** The project folders of the corpus, sorted. */
export function projects(): string[] {
  return fs
    .readdirSync(CORPUS, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

/** Every manifest file of a project, relative to the corpus root, sorted; dot-folders included (unlike the CLI walk). */
export function projectFiles(project: string): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    const entries = fs.readdirSync(path.join(CORPUS, rel), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const child = `${rel}/${e.name}`;
      if (e.isDirectory()) walk(child);
      else if (e.isFile() && EXTENSIONS.includes(path.extname(e.name).toLowerCase())) out.push(child);
    }
  };
  walk(project);
  return out;
}

/**
 * Reads one corpus file (a path relative to the corpus root) into located objects whose `source.file` is that path,
 * and the reader's input errors (a document the reader refuses is left out; the file's other documents are read, as
 * the CLI reads them). The one place the corpus touches the reader.
 */
export async function readCorpusFile(file: string): Promise<{ objects: LocatedObject[]; errors: string[] }> {
  const read = await readManifestFile(path.join(CORPUS, file));
  return {
    objects: read.objects.map((o) => ({
      object: o.object,
      ...(o.source ? { source: { ...o.source, file } } : {}),
      locate: (field: string) => o.locate?.(field),
    })),
    errors: read.errors.map((e) => `${file}:${e.line ?? ''}:${e.column ?? ''}: ${e.message}`),
  };
}

/** A file the reader refused. */
export interface UnreadableFile {
  readonly file: string;
  readonly error: string;
}

/** An object of the corpus, and how the judge sees it. */
export interface CorpusObject {
  readonly file: string;
  readonly document?: number;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  readonly role: ObjectRole;
}

/** A finding of a run, flattened: where it is, and what it says. */
export interface CorpusFinding extends FindingKey {
  readonly severity: string;
  readonly message: string;
}

/** The files of one project as read. */
export interface ProjectFiles {
  readonly project: string;
  readonly files: readonly string[];
  readonly objects: readonly LocatedObject[];
  readonly unreadable: readonly UnreadableFile[];
}

/** Reads every file of a project; files the reader refuses are left out and listed. */
export async function readProject(project: string): Promise<ProjectFiles> {
  const files = projectFiles(project);
  const objects: LocatedObject[] = [];
  const unreadable: UnreadableFile[] = [];
  for (const file of files) {
    // a file with an input error (duplicate keys, an unrendered template: what kubectl refuses) is listed as
    // unreadable; the documents of it that the reader could read are judged, as the CLI judges them
    const read = await readCorpusFile(file);
    objects.push(...read.objects);
    if (read.errors.length > 0) unreadable.push({ file, error: read.errors.join('\n') });
  }
  return { project, files, objects, unreadable };
}

function flatten(f: ObjectFinding): CorpusFinding {
  return {
    file: f.source?.file ?? '',
    ...(f.source?.document !== undefined ? { document: f.source.document } : {}),
    kind: f.kind,
    name: f.name,
    ...(f.namespace !== undefined ? { namespace: f.namespace } : {}),
    ...(f.container !== undefined ? { container: f.container } : {}),
    rule: f.rule,
    field: f.field,
    severity: f.severity,
    message: f.message,
  };
}

function describeObjectOf(o: LocatedObject): CorpusObject {
  const obj = isJsonObject(o.object) ? o.object : {};
  const metadata = isJsonObject(obj.metadata) ? obj.metadata : {};
  return {
    file: o.source?.file ?? '',
    ...(o.source?.document !== undefined ? { document: o.source.document } : {}),
    kind: typeof obj.kind === 'string' ? obj.kind : '',
    name: typeof metadata.name === 'string' ? metadata.name : typeof metadata.generateName === 'string' ? metadata.generateName : '',
    ...(typeof metadata.namespace === 'string' ? { namespace: metadata.namespace } : {}),
    role: roleOf(o.object),
  };
}

/** Judges the objects of one project in one run. */
export function judgeProject(
  read: ProjectFiles,
  options: CheckOptions = RUN_OPTIONS,
): { findings: CorpusFinding[]; judged: number; notJudged: Record<string, number> } {
  const result = checkObjects(read.objects, options);
  return { findings: result.findings.map(flatten), judged: result.judged, notJudged: { ...result.notJudged } };
}

/** What one project's runs found. */
export interface ProjectRun {
  readonly project: string;
  readonly files: readonly string[];
  readonly objects: readonly CorpusObject[];
  readonly unreadable: readonly UnreadableFile[];
  readonly findings: readonly CorpusFinding[];
  readonly judged: number;
  readonly notJudged: Readonly<Record<string, number>>;
  /** The run with `requireDigest`, when a peer check asks for it on this project. */
  readonly digestFindings?: readonly CorpusFinding[];
  /** The run with the `findingsWhenAccepted` suppressions planted, when this project has some. */
  readonly acceptedFindings?: readonly CorpusFinding[];
}

/** Plants the suppressions of `accepted` (their `accept` rule, for their container) into the objects they name. */
function plantSuppressions(objects: readonly LocatedObject[], accepted: readonly AcceptedExpectation[]): LocatedObject[] {
  return objects.map((o) => {
    const at = describeObjectOf(o);
    const mine = accepted.filter((a) => sameObject(a, at));
    if (mine.length === 0 || !isJsonObject(o.object)) return o;
    const object = structuredClone(o.object);
    const metadata = (isJsonObject(object.metadata) ? object.metadata : (object.metadata = {})) as Record<string, unknown>;
    const annotations = (isJsonObject(metadata.annotations) ? metadata.annotations : (metadata.annotations = {})) as Record<string, unknown>;
    for (const a of mine) annotations[suppressionKey(a.accept, a.container)] = `accepted for the corpus test: ${a.why}`;
    return { ...o, object };
  });
}

/** Runs every project of the corpus: the plain run, and the runs the expectations ask for. */
export async function runCorpus(expectations: Expectations): Promise<ProjectRun[]> {
  const digestChecks = expectations.peerChecks.filter((c) => c.requireDigest === true);
  const out: ProjectRun[] = [];
  for (const project of projects()) {
    const read = await readProject(project);
    const base = judgeProject(read);
    const inProject = (e: { file: string }): boolean => e.file.startsWith(`${project}/`);
    const needsDigest = expectations.peers.some((p) => inProject(p) && digestChecks.some((c) => c.peer === p.peer && c.check === checkName(p.check)));
    const accepted = expectations.findingsWhenAccepted.filter(inProject);
    out.push({
      project,
      files: read.files,
      objects: read.objects.map(describeObjectOf),
      unreadable: read.unreadable,
      findings: base.findings,
      judged: base.judged,
      notJudged: base.notJudged,
      ...(needsDigest ? { digestFindings: judgeProject(read, { ...RUN_OPTIONS, requireDigest: true }).findings } : {}),
      ...(accepted.length > 0 ? { acceptedFindings: judgeProject({ ...read, objects: plantSuppressions(read.objects, accepted) }).findings } : {}),
    });
  }
  return out;
}

// ---- holding findings against the expectations --------------------------------------------------------------------

/** Whether the expectation `e` describes the finding `f`. */
export function matches(e: FindingKey, f: CorpusFinding): boolean {
  return (
    e.file === f.file &&
    e.kind === f.kind &&
    e.name === f.name &&
    e.namespace === f.namespace &&
    e.container === f.container &&
    e.rule === f.rule &&
    e.field === f.field &&
    (e.document === undefined || e.document === f.document) &&
    (e.messageIncludes === undefined || f.message.includes(e.messageIncludes))
  );
}

function sameObject(
  e: { file: string; kind: string; name: string; namespace?: string; document?: number },
  o: { file: string; kind: string; name: string; namespace?: string; document?: number },
): boolean {
  return (
    e.file === o.file &&
    e.kind === o.kind &&
    e.name === o.name &&
    (e.namespace === undefined || e.namespace === o.namespace) &&
    (e.document === undefined || e.document === o.document)
  );
}

/** One line naming a finding or an expectation, for failure messages and the doc. */
export function describeKey(k: FindingKey & { severity?: string }): string {
  const ns = k.namespace !== undefined ? `${k.namespace}/` : '';
  const doc = k.document !== undefined ? ` (document ${k.document})` : '';
  const container = k.container !== undefined ? ` container "${k.container}"` : '';
  return `${k.severity !== undefined ? `${k.severity} ` : ''}${k.rule}: ${k.file}${doc} ${k.kind} "${ns}${k.name}"${container} ${k.field}`;
}

/** A reviewed finding of the run: the finding and its expectation. */
export interface ReviewedFinding {
  readonly finding: CorpusFinding;
  readonly expectation: Expectation;
}

/** The findings of a run held against the expectations. */
export interface Review {
  /** Every finding with exactly one expectation. */
  readonly reviewed: readonly ReviewedFinding[];
  /** Findings without an expectation: a new false positive, or a finding not reviewed yet. */
  readonly unreviewed: readonly CorpusFinding[];
  /** Findings several expectations match, or expectations several findings match: add a tie-breaker. */
  readonly ambiguous: readonly string[];
  /** Expected true positives that no longer fire. */
  readonly lostTruePositives: readonly Expectation[];
  /** Expected false positives that no longer fire: move them to `fixedFalsePositives`. */
  readonly goneFalsePositives: readonly Expectation[];
  /** Fixed false positives that fire again. */
  readonly fixedFiringAgain: readonly CorpusFinding[];
  /** `findingsWhenAccepted` that do not fire when the tag is accepted. */
  readonly acceptedMissing: readonly AcceptedExpectation[];
  /** Findings of the accepted runs that are neither a plain finding (minus the accepted ones) nor an accepted expectation. */
  readonly acceptedUnexpected: readonly CorpusFinding[];
  /** `wouldBeFalsePositives` that do not behave as their status says. */
  readonly wouldBeWrong: readonly string[];
  /** Known misses that a finding now covers: move them to `findings`. */
  readonly missesCaught: readonly KnownMiss[];
  /** Unreadable files that differ from `unreadableFiles` (a file became readable, or another became unreadable). */
  readonly unreadableChanged: readonly string[];
  /** Our verdict on each peer fixture, from this run. */
  readonly peers: readonly PeerExpectation[];
}

/** The check name without a policy's sub-rule (`disallow-latest-tag/require-image-tag` → `disallow-latest-tag`). */
export function checkName(check: string): string {
  const slash = check.indexOf('/');
  return slash < 0 ? check : check.slice(0, slash);
}

/** The peer check of a peer fixture. */
export function peerCheckOf(expectations: Expectations, p: { peer: string; check: string }): PeerCheck {
  const c = expectations.peerChecks.find((x) => x.peer === p.peer && x.check === checkName(p.check));
  if (!c) throw new Error(`expectations.json: no peerChecks entry for ${p.peer} ${checkName(p.check)}`);
  return c;
}

function ourVerdict(expectations: Expectations, runs: readonly ProjectRun[], p: PeerExpectation): OurVerdict {
  const run = runs.find((r) => p.file.startsWith(`${r.project}/`));
  const object = run?.objects.find((o) => sameObject(p, o));
  if (!run || !object || object.role !== ObjectRole.POD) return { verdict: 'not-judged' };
  const check = peerCheckOf(expectations, p);
  const findings = (check.requireDigest ? run.digestFindings : run.findings) ?? [];
  const mine = findings.filter((f) => sameObject(p, f) && (p.container === undefined || f.container === p.container));
  const rules = [...new Set(mine.filter((f) => check.rules.includes(f.rule)).map((f) => f.rule))].sort();
  const otherRules = [...new Set(mine.filter((f) => !check.rules.includes(f.rule)).map((f) => f.rule))].sort();
  return { verdict: rules.length > 0 ? 'fail' : 'pass', rules, otherRules };
}

function keyText(f: FindingKey): string {
  return JSON.stringify([f.file, f.document ?? null, f.kind, f.name, f.namespace ?? null, f.container ?? null, f.rule, f.field]);
}

/** Holds the runs against the expectations. Pure: the test asserts on it, the doc is written from it. */
export function review(expectations: Expectations, runs: readonly ProjectRun[]): Review {
  const findings = runs.flatMap((r) => r.findings);
  const reviewed: ReviewedFinding[] = [];
  const unreviewed: CorpusFinding[] = [];
  const ambiguous: string[] = [];
  const hits = new Map<Expectation, number>();
  for (const f of findings) {
    const es = expectations.findings.filter((e) => matches(e, f));
    if (es.length === 0) unreviewed.push(f);
    else if (es.length > 1) ambiguous.push(`${es.length} expectations match ${describeKey(f)}`);
    else {
      reviewed.push({ finding: f, expectation: es[0] });
      hits.set(es[0], (hits.get(es[0]) ?? 0) + 1);
    }
  }
  for (const [e, n] of hits) if (n > 1) ambiguous.push(`${n} findings match the expectation ${describeKey(e)}`);
  const silent = expectations.findings.filter((e) => !hits.has(e));

  // the accepted runs: the plain findings, minus the accepted pinning findings, plus the expected ones
  const acceptedMissing: AcceptedExpectation[] = [];
  const acceptedUnexpected: CorpusFinding[] = [];
  for (const run of runs) {
    if (run.acceptedFindings === undefined) continue;
    const accepted = expectations.findingsWhenAccepted.filter((a) => a.file.startsWith(`${run.project}/`));
    const expected = new Map<string, number>();
    const add = (k: string, n: number): void => void expected.set(k, (expected.get(k) ?? 0) + n);
    for (const f of run.findings) {
      const lifted = accepted.some((a) => sameObject(a, f) && a.container === f.container && a.accept === f.rule);
      if (!lifted) add(keyText(f), 1);
    }
    for (const a of accepted) {
      if (!run.acceptedFindings.some((f) => matches(a, f))) acceptedMissing.push(a);
      else add(keyText(run.acceptedFindings.find((f) => matches(a, f))!), 1);
    }
    for (const f of run.acceptedFindings) {
      const k = keyText(f);
      const n = expected.get(k) ?? 0;
      if (n > 0) expected.set(k, n - 1);
      else acceptedUnexpected.push(f);
    }
  }

  const wouldBeWrong: string[] = [];
  for (const w of expectations.wouldBeFalsePositives) {
    const run = runs.find((r) => w.file.startsWith(`${r.project}/`));
    const object = run?.objects.find((o) => sameObject(w, o));
    const judged = object?.role === ObjectRole.POD;
    if (w.status === 'not-judged' && judged) wouldBeWrong.push(`${describeKey(w)}: the object is judged now; review it and set status`);
    if (w.status === 'quiet' && !judged) wouldBeWrong.push(`${describeKey(w)}: the object is not judged`);
    if (w.status === 'quiet' && findings.some((f) => matches(w, f))) wouldBeWrong.push(`${describeKey(w)}: fires`);
  }

  const unreadable = runs.flatMap((r) => r.unreadable.map((u) => u.file)).sort();
  const expectedUnreadable = expectations.unreadableFiles.map((u) => u.file).sort();
  const unreadableChanged = [
    ...unreadable.filter((f) => !expectedUnreadable.includes(f)).map((f) => `${f} is unreadable`),
    ...expectedUnreadable.filter((f) => !unreadable.includes(f)).map((f) => `${f} is read now: turn its findingsWhenRead into findings`),
  ];

  return {
    reviewed,
    unreviewed,
    ambiguous,
    lostTruePositives: silent.filter((e) => e.verdict === 'true-positive'),
    goneFalsePositives: silent.filter((e) => e.verdict === 'false-positive'),
    fixedFiringAgain: findings.filter((f) => expectations.fixedFalsePositives.some((x) => matches(x, f))),
    acceptedMissing,
    acceptedUnexpected,
    wouldBeWrong,
    missesCaught: expectations.knownMisses.filter((m) => findings.some((f) => matches(m, f))),
    unreadableChanged,
    peers: expectations.peers.map((p) => ({ ...p, ours: ourVerdict(expectations, runs, p) })),
  };
}

// ---- precision -----------------------------------------------------------------------------------------------------

/** Findings, true and false positives of one rule (or of all). */
export interface PrecisionRow {
  readonly rule: string;
  readonly severity: string;
  readonly findings: number;
  readonly truePositives: number;
  readonly falsePositives: number;
}

/** Precision per rule and severity, most findings first; ties by rule id. */
export function precisionRows(reviewed: readonly ReviewedFinding[]): PrecisionRow[] {
  const rows = new Map<string, { rule: string; severity: string; findings: number; truePositives: number; falsePositives: number }>();
  for (const { finding, expectation } of reviewed) {
    const key = `${finding.rule} ${finding.severity}`;
    const row = rows.get(key) ?? { rule: finding.rule, severity: finding.severity, findings: 0, truePositives: 0, falsePositives: 0 };
    row.findings++;
    if (expectation.verdict === 'true-positive') row.truePositives++;
    else row.falsePositives++;
    rows.set(key, row);
  }
  return [...rows.values()].sort((a, b) => b.findings - a.findings || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0));
}

/** `100 %`, `93.6 %`: one decimal unless whole. */
export function percent(part: number, whole: number): string {
  if (whole === 0) return '–';
  const p = Math.round((1000 * part) / whole) / 10;
  return `${p} %`;
}
