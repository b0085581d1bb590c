import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DEFAULTS } from '../src/defaults';
import { RULE_CATALOGUE } from '../src/rules/catalogue';
import { defaultsTable, renderReadme, rulesTable } from '../scripts/readme-tables';

const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');

describe('README', () => {
  test('the safe-defaults table and the rule catalogue are what scripts/readme-tables.ts generates', () => {
    // if this fails: npx ts-node --transpile-only scripts/readme-tables.ts
    expect(readme).toEqual(renderReadme(readme));
  });

  test('every default is a row of the table', () => {
    for (const key of Object.keys(DEFAULTS)) expect(defaultsTable()).toContain(`| \`${key}\` |`);
  });

  test('every rule of the catalogue is a row of the rule table', () => {
    for (const rule of RULE_CATALOGUE) expect(rulesTable()).toContain(`| \`${rule.id}\` | ${rule.severity} |`);
  });

  test('the test command of the README is the one .ci/run runs', () => {
    const ci = fs.readFileSync(path.join(__dirname, '..', '.ci', 'run'), 'utf8');
    const m = /```sh\n(npm ci && npm test)\n```/.exec(readme);
    expect(m).not.toBeNull();
    expect(ci).toContain(m![1]);
  });
});

describe('README quick start', () => {
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
    expect(() => run(block.replace(/^\/\/ new SafePod\(chart, 'bad'.*$/m, `${bad};`), outdir)).toThrow(expected);
  });
});
