import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
const MAIN = path.join(ROOT, 'src', 'cli', 'main.ts');

/** Runs src/cli/main.ts as a process (ts-node, transpile only: no build needed). */
function main(args: string[], input?: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['-r', require.resolve('ts-node/register'), MAIN, ...args], {
    cwd: ROOT,
    input: input ?? '',
    encoding: 'utf8',
    env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true', TS_NODE_PROJECT: path.join(ROOT, 'tsconfig.json') },
    timeout: 20_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('main', () => {
  test('starts with a node shebang so npm can link it as the cdk8s-safe-pods bin', () => {
    expect(fs.readFileSync(MAIN, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
  });

  test('reads standard input for "-" and exits with the code of runCli', () => {
    const ok = main(
      ['check', '-'],
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {enableServiceLinks: false, containers: [{name: c, image: "nginx:1.27.3", imagePullPolicy: IfNotPresent}]}\n',
    );
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/in 1 object \(1 file\)/);
    const bad = main(['check', '-'], 'a: [\n');
    expect(bad.status).toBe(3);
    expect(bad.stderr).toMatch(/^cdk8s-safe-pods: <stdin>:2:1: /);
  });
});
