/**
 * Generates the tables the docs print from the code: the README's short tables of safe defaults and rules, and the
 * reference pages `docs/defaults.md` (every default, with what it means) and `docs/rules.md` (every rule: severity,
 * title, the upstream reason, the fix, with one anchor per rule id, which SARIF `helpUri`s link to).
 * `npx ts-node --transpile-only scripts/readme-tables.ts` rewrites them; test/readme.test.ts fails when one is stale.
 */
import * as fs from 'fs';
import * as path from 'path';
import { DEFAULTS } from '../src/defaults';
import { KubernetesVersion } from '../src/k8s/version';
import { RULE_CATALOGUE } from '../src/rules/catalogue';

const ROOT = path.join(__dirname, '..');

/** The files this script writes, with the marker sections it fills. */
export const GENERATED: ReadonlyArray<{ readonly file: string; readonly render: (text: string) => string }> = [
  { file: 'README.md', render: (t) => replaceBetween(replaceBetween(t, 'defaults', defaultsSummary()), 'rules', rulesSummary()) },
  { file: 'docs/defaults.md', render: (t) => replaceBetween(t, 'defaults', defaultsTable()) },
  { file: 'docs/rules.md', render: (t) => replaceBetween(t, 'rules', rulesReference()) },
];

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function formatValue(value: unknown): string {
  if (Array.isArray(value)) return value.map((v) => `\`${String(v)}\``).join(', ');
  if (value instanceof KubernetesVersion) return `\`${value.toString()}\``;
  if (value !== null && typeof value === 'object') {
    return Object.entries(value)
      .map(([k, v]) => `${k}: \`${typeof v === 'object' ? JSON.stringify(v) : String(v)}\``)
      .join(', ');
  }
  return `\`${JSON.stringify(value)}\``;
}

/** Doc comments of DEFAULTS, read from its source so the table says what the code says. */
function defaultDocs(): Map<string, string> {
  const src = fs.readFileSync(path.join(ROOT, 'src', 'defaults', 'index.ts'), 'utf8');
  const body = src.slice(src.indexOf('export const DEFAULTS'));
  const docs = new Map<string, string>();
  const re = /\/\*\*((?:(?!\/\*\*)[\s\S])*?)\*\/\s*\n\s*(\w+):/g;
  for (let m = re.exec(body); m; m = re.exec(body)) {
    const text = m[1]
      .split('\n')
      .map((l) => l.replace(/^\s*\*\s?/, '').trim())
      .filter((l) => l.length > 0)
      .join(' ');
    docs.set(m[2], text);
  }
  return docs;
}

/** The first sentence of a doc comment. */
function firstSentence(text: string): string {
  const m = /^(.*?[.:])(\s|$)/.exec(text);
  return m ? m[1].replace(/:$/, '') : text;
}

/** Every default, its value and what it means (docs/defaults.md). */
export function defaultsTable(): string {
  const docs = defaultDocs();
  const rows = Object.entries(DEFAULTS).map(([key, value]) => `| \`${key}\` | ${formatValue(value)} | ${cell(docs.get(key) ?? '')} |`);
  return ['| default | value | meaning |', '| --- | --- | --- |', ...rows].join('\n');
}

/** The README's short table: the defaults that make pods safe, one line each. */
export function defaultsSummary(): string {
  const docs = defaultDocs();
  const keys = Object.keys(DEFAULTS).filter(
    (k) => !['floatingTags', 'gvisorRuntimeClass', 'kataQemuRuntimeClass', 'unallocatedClusterIP'].includes(k),
  );
  const rows = keys.map(
    (key) => `| \`${key}\` | ${formatValue((DEFAULTS as Record<string, unknown>)[key])} | ${cell(firstSentence(docs.get(key) ?? ''))} |`,
  );
  return ['| default | value | meaning |', '| --- | --- | --- |', ...rows].join('\n');
}

/** The README's rule list: id (linking to its reference entry), severity and title. */
export function rulesSummary(): string {
  const rows = RULE_CATALOGUE.map((r) => `| [\`${r.id}\`](docs/rules.md#${r.id}) | ${r.severity} | ${cell(r.title)} |`);
  return ['| rule | severity | title |', '| --- | --- | --- |', ...rows].join('\n');
}

/** docs/rules.md: one section per rule, its heading the rule id (the anchor SARIF help links point to). */
export function rulesReference(): string {
  return RULE_CATALOGUE.map((r) => {
    const severity =
      r.constructSeverity !== undefined && r.constructSeverity !== r.severity
        ? `${r.severity} (${r.constructSeverity} for safe constructs)`
        : r.severity;
    return [`### ${r.id}`, '', `**${severity}** · ${r.title}`, '', `**Why.** ${r.reason}`, '', `**Fix.** ${r.fix}`].join('\n');
  }).join('\n\n');
}

/** Kept for the README test: the full rule table is now `rulesReference()` in docs/rules.md. */
export function rulesTable(): string {
  return rulesSummary();
}

function replaceBetween(text: string, name: string, body: string): string {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i < 0 || j < i) throw new Error(`no ${start} ... ${end} markers`);
  return `${text.slice(0, i + start.length)}\n${body}\n${text.slice(j)}`;
}

/** The README as this script writes it. */
export function renderReadme(text: string): string {
  return GENERATED[0].render(text);
}

if (require.main === module) {
  for (const { file, render } of GENERATED) {
    const full = path.join(ROOT, file);
    fs.writeFileSync(full, render(fs.readFileSync(full, 'utf8')));
  }
}
