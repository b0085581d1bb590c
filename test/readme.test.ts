import * as fs from 'fs';
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
