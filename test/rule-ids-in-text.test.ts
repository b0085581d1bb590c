/**
 * Issue 10, "Every rule id named anywhere in src/, README or docs is a catalogue id, and a test says so": a user who
 * copies a suppression or a setting from the text must get a rule that exists (a stale `image-mutable-tag` is a
 * `suppression-unknown-rule` finding, and the finding it meant to accept still fails).
 *
 * Candidates are words of the catalogue's shapes (`image-…`, `env-…`, `lifecycle-…`, `runtime-class-…`, `pod-…`,
 * `container-…`, `suppression-…`, `field-…`) written in backticks or quotes, or after `suppress.`, in the strings and
 * comments of `src/`, in README.md, CONTRIBUTING.md, `docs/**\/*.md` and `examples/`. Words of those shapes that are
 * not rule ids are allowed one by one, where they are written, with the reason.
 */
import * as fs from 'fs';
import * as path from 'path';
import { RULE_CATALOGUE } from '../src/rules/catalogue';

const ROOT = path.join(__dirname, '..');

const SHAPE = '(?:image|env|lifecycle|runtime-class|pod|container|suppression|field)-[a-z0-9]+(?:-[a-z0-9]+)*';
const QUOTED = new RegExp(`[\`'"](${SHAPE})[\`'"]`, 'g');
const AFTER_SUPPRESS = new RegExp(`suppress\\.(${SHAPE})`, 'g');

/** A word of a rule id's shape, where it is written. */
interface Candidate {
  readonly id: string;
  readonly file: string;
  readonly line: number;
}

/** The words of a rule id's shape in `text` (quoted, or after `suppress.`). */
function ruleIdCandidates(text: string, file: string): Candidate[] {
  const out: Candidate[] = [];
  for (const re of [QUOTED, AFTER_SUPPRESS]) {
    for (const m of text.matchAll(re)) {
      const line = text.slice(0, m.index).split('\n').length;
      out.push({ id: m[1], file, line });
    }
  }
  return out;
}

/** Words of a rule id's shape that are not rule ids, by file: each with why. */
const NOT_RULE_IDS: ReadonlyArray<{ readonly id: string; readonly file: string; readonly why: string }> = [
  { id: 'image-pinned', file: 'docs/config.md', why: 'the misspelled rule id of the example of the "did you mean" error' },
  { id: 'container-image-tag', file: 'docs/precision.md', why: "kube-score's check, next to ours in the peers table" },
  { id: 'container-image-pull-policy', file: 'docs/precision.md', why: "kube-score's check, next to ours in the peers table" },
  { id: 'env-value-from', file: 'docs/precision.md', why: "kube-linter's check, next to ours in the peers table" },
  { id: 'pod-test-1', file: 'docs/precision.md', why: 'the name of a Pod in a kube-score fixture' },
  { id: 'pod-spec-changed', file: 'src/admission/subject.ts', why: 'the name of the match condition every admission policy carries' },
];

function filesUnder(dir: string, keep: (file: string) => boolean): string[] {
  const abs = path.join(ROOT, dir);
  if (!fs.existsSync(abs)) return [];
  const out: string[] = [];
  for (const e of fs.readdirSync(abs, { withFileTypes: true })) {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) out.push(...filesUnder(rel, keep));
    else if (e.isFile() && keep(rel)) out.push(rel);
  }
  return out.sort();
}

/** The texts users read or copy from. */
function scannedFiles(): string[] {
  return [
    ...filesUnder('src', (f) => f.endsWith('.ts')),
    'README.md',
    'CONTRIBUTING.md',
    ...filesUnder('docs', (f) => f.endsWith('.md')),
    ...filesUnder('examples', (f) => !/\.(png|svg)$/.test(f)),
  ];
}

const IDS = new Set(RULE_CATALOGUE.map((r) => r.id));

function unknown(candidates: readonly Candidate[]): string[] {
  return candidates
    .filter((c) => !IDS.has(c.id) && !NOT_RULE_IDS.some((a) => a.id === c.id && a.file === c.file))
    .map((c) => `${c.file}:${c.line}: ${JSON.stringify(c.id)} is not a rule of the catalogue`);
}

describe('rule ids in text', () => {
  const candidates = scannedFiles().flatMap((f) => ruleIdCandidates(fs.readFileSync(path.join(ROOT, f), 'utf8'), f));

  test('every rule id named in src/, README.md, CONTRIBUTING.md, docs/ and examples/ is a catalogue id', () => {
    expect(unknown(candidates)).toEqual([]);
  });

  test('finds the rule ids where they are written: every catalogue id is named in the README', () => {
    const inReadme = new Set(candidates.filter((c) => c.file === 'README.md').map((c) => c.id));
    expect([...IDS].filter((id) => !inReadme.has(id))).toEqual([]);
  });

  test.each([
    ['a backticked id in a doc comment', '/** The rule id, e.g. `image-unpinned`. */'],
    ['a quoted id in code', "const rule = 'image-unpinned';"],
    ['a suppression annotation', 'safe-pods.cdk8s.io/suppress.image-unpinned.app: "local kind cluster"'],
  ])('fails on a made-up id: %s', (_, text) => {
    expect(unknown(ruleIdCandidates(text, 'src/example.ts'))).toEqual(['src/example.ts:1: "image-unpinned" is not a rule of the catalogue']);
  });

  test('an allowed word is allowed only in the file it is listed for', () => {
    expect(unknown(ruleIdCandidates('`image-pinned`', 'README.md'))).toHaveLength(1);
  });

  test('every allowed word is still written where it is listed (no stale entries)', () => {
    const stale = NOT_RULE_IDS.filter((a) => !candidates.some((c) => c.id === a.id && c.file === a.file));
    expect(stale).toEqual([]);
  });
});
