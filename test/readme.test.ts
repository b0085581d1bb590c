import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DEFAULTS } from '../src/defaults';
import { RULE_CATALOGUE } from '../src/rules/catalogue';
import { defaultsTable, GENERATED, rulesTable } from '../scripts/readme-tables';
import { runCli } from '../src/cli/run';

const ROOT = path.join(__dirname, '..');

const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');

describe('README and the generated docs', () => {
  test.each(GENERATED.map((g) => [g.file, g] as const))('%s is what scripts/readme-tables.ts generates', (file, g) => {
    // if this fails: npx ts-node --transpile-only scripts/readme-tables.ts
    const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
    expect(text).toEqual(g.render(text));
  });

  test('every default is a row of the defaults reference', () => {
    for (const key of Object.keys(DEFAULTS)) expect(defaultsTable()).toContain(`| \`${key}\` |`);
  });

  test('every rule of the catalogue is a row of the README list and a section of docs/rules.md', () => {
    const reference = fs.readFileSync(path.join(ROOT, 'docs', 'rules.md'), 'utf8');
    for (const rule of RULE_CATALOGUE) {
      expect(rulesTable()).toContain(`| [\`${rule.id}\`](docs/rules.md#${rule.id}) | ${rule.severity} |`);
      expect(reference).toContain(`\n### ${rule.id}\n`);
    }
  });

  test('the README is a front door: under 20 KB', () => {
    expect(Buffer.byteLength(readme, 'utf8')).toBeLessThan(20 * 1024);
  });

  test('the test command of the README is the one .ci/run runs', () => {
    const ci = fs.readFileSync(path.join(ROOT, '.ci', 'run'), 'utf8');
    const m = /```sh\n(npm ci && npm test)\n```/.exec(readme);
    expect(m).not.toBeNull();
    expect(ci).toContain(m![1]);
  });
});

/** Every Markdown page of the repository's documentation. */
function markdownPages(): string[] {
  const docs = fs
    .readdirSync(path.join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => path.join('docs', f));
  return ['README.md', 'CONTRIBUTING.md', 'BENCHMARKS.md', ...docs];
}

/** GitHub's anchor of a Markdown heading. */
function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

describe('links of the documentation', () => {
  test.each(markdownPages())('every relative link of %s resolves, anchors included', (page) => {
    const text = fs.readFileSync(path.join(ROOT, page), 'utf8').replace(/```[\s\S]*?```/g, '');
    const broken: string[] = [];
    for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = m[1];
      if (/^[a-z]+:/i.test(target)) continue;
      const [file, anchor] = target.split('#');
      const resolved = file === '' ? path.join(ROOT, page) : path.join(ROOT, path.dirname(page), file);
      if (!fs.existsSync(resolved)) {
        broken.push(target);
        continue;
      }
      if (anchor !== undefined && resolved.endsWith('.md')) {
        const headings = [...fs.readFileSync(resolved, 'utf8').matchAll(/^#{1,6} (.*)$/gm)].map((h) => anchorOf(h[1]));
        if (!headings.includes(anchor)) broken.push(target);
      }
    }
    expect(broken).toEqual([]);
  });
});

describe('README explain excerpt', () => {
  test('every line of the excerpt is a line the command prints, in order', async () => {
    const m = /\(`npx cdk8s-safe-pods (explain [^`]+)`, an excerpt\):\n\n```text\n([\s\S]*?)```/.exec(readme);
    expect(m).not.toBeNull();
    let out = '';
    await runCli(m![1].split(' '), { stdout: (t) => (out += t), stderr: (t) => (out += t), cwd: ROOT });
    const printed = out.split('\n');
    let at = 0;
    for (const line of m![2].split('\n').filter((l) => l !== '')) {
      const found = printed.indexOf(line, at);
      expect({ line, found: found >= 0 }).toEqual({ line, found: true });
      at = found + 1;
    }
  });
});

describe('README quick start', () => {
  const made: string[] = [];
  afterAll(() => {
    for (const d of made) fs.rmSync(d, { recursive: true, force: true });
  });

  const block = /## Quick start\n\n```ts\n([\s\S]*?)```/.exec(readme)![1];
  // the snippet, runnable here: imports become requires of this repo's modules
  function run(code: string, outdir: string): void {
    const js = code
      .replace("import { App, Chart } from 'cdk8s';", "const { App, Chart } = require('cdk8s');")
      .replace("import { SafePod } from 'cdk8s-safe-pods';", `const { SafePod } = require(${JSON.stringify(path.join(__dirname, '..', 'src'))});`);
    const previous = process.env.CDK8S_OUTDIR;
    process.env.CDK8S_OUTDIR = outdir;
    try {
      new Function('require', js)(require);
    } finally {
      if (previous === undefined) delete process.env.CDK8S_OUTDIR;
      else process.env.CDK8S_OUTDIR = previous;
    }
  }

  test('is at most 15 lines of code and synthesizes what its comment says', () => {
    const code = block.split('\n').filter((l) => l.trim() !== '' && !l.trim().startsWith('//'));
    expect(code.length).toBeLessThanOrEqual(15);
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-quick-start-'));
    made.push(outdir);
    run(block, outdir);
    const yaml = fs.readFileSync(path.join(outdir, 'prod.k8s.yaml'), 'utf8');
    expect(yaml).toContain('imagePullPolicy: IfNotPresent');
    expect(yaml).toContain('enableServiceLinks: false');
  });

  test('the commented-out bad pod fails with the error the comment shows', () => {
    const bad = /^\/\/ (new SafePod\(chart, 'bad'.*\)) fails/m.exec(block)![1];
    const expected = block
      .split('\n')
      .filter((l) => l.startsWith('//   '))
      .map((l) => l.slice(5))
      .join(' ');
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-quick-start-'));
    made.push(outdir);
    expect(() => run(block.replace(/^\/\/ new SafePod\(chart, 'bad'.*$/m, `${bad};`), outdir)).toThrow(expected);
  });
});
