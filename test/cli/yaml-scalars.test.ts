/**
 * Issue 16, done when: `value: yes`, `value: true` and `value: 9080` in an env entry are findings that say to quote the
 * value; `value: "yes"` is not. kubectl reads YAML 1.1, so those reach the API server as a boolean or a number.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ExitCode, runCli } from '../../src/cli/run';

let dir: string;
beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'safe-pods-yaml11-'))));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function check(value: string): Promise<{ code: ExitCode; findings: Array<{ rule: string; message: string; path: string; line: number }> }> {
  const file = path.join(dir, `pod-${Math.random().toString(36).slice(2)}.yaml`);
  fs.writeFileSync(
    file,
    [
      'apiVersion: v1',
      'kind: Pod',
      'metadata: { name: p }',
      'spec:',
      '  enableServiceLinks: false',
      '  containers:',
      '    - name: app',
      '      image: nginx:1.27.3',
      '      imagePullPolicy: IfNotPresent',
      '      env:',
      '        - name: FLAG',
      `          value: ${value}`,
      '',
    ].join('\n'),
  );
  let out = '';
  const code = await runCli(['check', '--no-config', '--format', 'json', file], { stdout: (t) => (out += t), stderr: () => undefined });
  return { code, findings: JSON.parse(out).findings };
}

describe('scalars Kubernetes reads as YAML 1.1', () => {
  test.each([
    ['yes', 'the boolean true (written yes)', '"yes"'],
    ['On', 'the boolean true (written On)', '"On"'],
    ['true', 'the boolean true', undefined],
    ['no', 'the boolean false (written no)', '"no"'],
    ['9080', 'the number 9080', undefined],
    ['0755', 'the number 493 (written 0755)', '"0755"'],
  ])('value: %s is a finding that says to quote it', async (value, found, example) => {
    const { code, findings } = await check(value);
    expect(code).toBe(ExitCode.FINDINGS);
    expect(findings.map((f) => [f.rule, f.path, f.line])).toEqual([['field-type-invalid', 'spec.containers[0].env[0].value', 12]]);
    expect(findings[0].message).toContain(`must be a string, found ${found}`);
    expect(findings[0].message).toContain(`quote the value in the YAML${example !== undefined ? `, e.g. ${example}` : ''}`);
  });

  test.each(['"yes"', "'true'", '"9080"', 'plain-text'])('value: %s is a string and no finding', async (value) => {
    const { code, findings } = await check(value);
    expect(findings).toEqual([]);
    expect(code).toBe(ExitCode.OK);
  });
});
