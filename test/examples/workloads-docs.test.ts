/**
 * docs/workloads.md shows real output: its code is the example's, its `shutdownPlan()` JSON and its error line are
 * what the library returns today, and every rule id it names is in the catalogue.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { workloadsChart } from '../../examples/workloads';
import type { SafeStatefulSet } from '../../src/constructs/safe-workloads';
import { SafeDeployment } from '../../src/constructs/safe-workloads';
import { RULE_CATALOGUE } from '../../src/rules/catalogue';

const ROOT = path.join(__dirname, '..', '..');
const doc = fs.readFileSync(path.join(ROOT, 'docs', 'workloads.md'), 'utf8');

function block(lang: string, index = 0): string {
  const blocks = [...doc.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]);
  if (blocks[index] === undefined) throw new Error(`docs/workloads.md has no ${lang} block #${index}`);
  return blocks[index];
}

describe('docs/workloads.md', () => {
  test('the code is examples/workloads.ts, line for line and in order', () => {
    const example = fs
      .readFileSync(path.join(ROOT, 'examples', 'workloads.ts'), 'utf8')
      .split('\n')
      .map((l) => l.trim());
    let at = 0;
    for (const line of block('ts')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '')) {
      const found = example.indexOf(line, at);
      expect({ line, found: found >= 0 }).toEqual({ line, found: true });
      at = found + 1;
    }
  });

  test("the shutdownPlan() shown is the ledger's", () => {
    const chart = workloadsChart(Testing.app());
    const ledger = chart.node.findChild('ledger') as SafeStatefulSet;
    expect(JSON.parse(block('json'))).toEqual(ledger.shutdownPlan());
    expect(block('json')).toEqual(`${JSON.stringify(ledger.shutdownPlan(), null, 2)}\n`);
  });

  test('the error line shown is the one a synth prints', () => {
    const app = Testing.app();
    new SafeDeployment(new Chart(app, 'store', { namespace: 'store' }), 'api', { containers: [{ image: 'nginx:latest' }] });
    expect(() => app.synthYaml()).toThrow(block('text').trim());
  });

  test('every rule id it names is in the catalogue', () => {
    const ids = new Set(RULE_CATALOGUE.map((r) => r.id));
    const named = [...doc.matchAll(/`((?:image|env|lifecycle|runtime-class|pod|suppression|field)-[a-z0-9-]+)`/g)].map((m) => m[1]);
    expect(named.length).toBeGreaterThan(0);
    expect(named.filter((id) => !ids.has(id))).toEqual([]);
  });
});
