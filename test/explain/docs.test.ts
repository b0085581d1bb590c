import * as fs from 'fs';
import * as path from 'path';
import { runCli } from '../../src/cli/run';

const ROOT = path.join(__dirname, '..', '..');
const doc = fs.readFileSync(path.join(ROOT, 'docs', 'explain.md'), 'utf8');

async function cli(argv: string[]): Promise<string> {
  let out = '';
  const cwd = process.cwd();
  process.chdir(ROOT);
  try {
    await runCli(argv, { stdout: (t) => (out += t), stderr: (t) => (out += t) });
  } finally {
    process.chdir(cwd);
  }
  return out;
}

/** Every object and array nested in `x`, `x` included. */
function nested(x: unknown): unknown[] {
  if (x === null || typeof x !== 'object') return [];
  return [x, ...Object.values(x).flatMap(nested)];
}

describe('docs/explain.md', () => {
  test('the text example is what the command prints today', async () => {
    const m = /`(npx cdk8s-safe-pods (explain [^`]+))` prints:\n\n```text\n([\s\S]*?)```/.exec(doc);
    expect(m).not.toBeNull();
    expect(await cli(m![2].split(' '))).toBe(m![3]);
  });

  test('every JSON excerpt is a part of what --format json prints for the example', async () => {
    const report: unknown = JSON.parse(await cli(['explain', '--format', 'json', 'examples/explain-shop.yaml']));
    const parts = nested(report).map((x) => JSON.stringify(x));
    const blocks = [...doc.matchAll(/```json\n([\s\S]*?)```/g)].map((b) => JSON.stringify(JSON.parse(b[1])));
    expect(blocks.length).toBeGreaterThan(0);
    for (const b of blocks) expect(parts).toContain(b);
  });

  test('the pictures it shows exist', () => {
    for (const m of doc.matchAll(/\]\(([^)]+\.(?:png|svg|json|yaml))\)/g)) expect(fs.existsSync(path.join(ROOT, 'docs', m[1]))).toBe(true);
  });
});
