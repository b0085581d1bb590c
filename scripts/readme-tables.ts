/**
 * Generates the README's table of safe defaults (from `DEFAULTS`) and its rule catalogue (from `RULE_CATALOGUE`)
 * between marker comments. `npx ts-node --transpile-only scripts/readme-tables.ts` rewrites README.md;
 * test/readme.test.ts fails when the README is not what this script would write.
 */
import * as fs from 'fs';
import * as path from 'path';
import { DEFAULTS } from '../src/defaults';
import { RULE_CATALOGUE } from '../src/rules/catalogue';

const README = path.join(__dirname, '..', 'README.md');

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function formatValue(value: unknown): string {
  if (Array.isArray(value)) return value.map((v) => `\`${String(v)}\``).join(', ');
  if (value !== null && typeof value === 'object' && !(value instanceof Object.getPrototypeOf(DEFAULTS.kubernetesVersion).constructor)) {
    return `\`${JSON.stringify(value)}\``;
  }
  if (value !== null && typeof value === 'object') return `\`${String(value)}\``;
  return `\`${JSON.stringify(value)}\``;
}

/** Doc comments of DEFAULTS, read from its source so the table says what the code says. */
function defaultDocs(): Map<string, string> {
  const src = fs.readFileSync(path.join(__dirname, '..', 'src', 'defaults', 'index.ts'), 'utf8');
  const docs = new Map<string, string>();
  const re = /\/\*\*((?:(?!\/\*\*)[\s\S])*?)\*\/\s*\n\s*(\w+):/g;
  for (let m = re.exec(src); m; m = re.exec(src)) {
    const text = m[1]
      .split('\n')
      .map((l) => l.replace(/^\s*\*\s?/, '').trim())
      .filter((l) => l.length > 0)
      .join(' ');
    docs.set(m[2], text);
  }
  return docs;
}

export function defaultsTable(): string {
  const docs = defaultDocs();
  const rows = Object.entries(DEFAULTS).map(([key, value]) => `| \`${key}\` | ${formatValue(value)} | ${cell(docs.get(key) ?? '')} |`);
  return ['| default | value | meaning |', '| --- | --- | --- |', ...rows].join('\n');
}

export function rulesTable(): string {
  const rows = RULE_CATALOGUE.map((r) => `| \`${r.id}\` | ${r.severity} | ${cell(r.title)} | ${cell(r.reason)} | ${cell(r.fix)} |`);
  return ['| rule | severity | title | why (upstream) | fix |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
}

function replaceBetween(text: string, name: string, body: string): string {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i < 0 || j < i) throw new Error(`README.md has no ${start} ... ${end} markers`);
  return `${text.slice(0, i + start.length)}\n${body}\n${text.slice(j)}`;
}

export function renderReadme(text: string): string {
  return replaceBetween(replaceBetween(text, 'defaults', defaultsTable()), 'rules', rulesTable());
}

if (require.main === module) {
  fs.writeFileSync(README, renderReadme(fs.readFileSync(README, 'utf8')));
}
