import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ExitCode, runCli } from '../../src/cli/run';
import type { Rule } from '../../src/rules/types';
import { Severity } from '../../src/rules/types';

/** Reports every container whose image ends in `:latest` (error) or has no tag at all (warning). */
const IMAGE_RULE: Rule = {
  id: 'test-image',
  severity: Severity.ERROR,
  title: 'Images are pinned',
  reason: 'test',
  fix: 'pin it',
  check: (s) =>
    s.containers
      .filter((c) => c.list === 'containers')
      .flatMap(({ container: c, path }) => {
        const field = `${path}.image`;
        if (c.image?.endsWith(':latest'))
          return [{ message: `container ${JSON.stringify(c.name)}: image ${JSON.stringify(c.image)} uses "latest"`, field, container: c.name }];
        if (c.image !== undefined && !c.image.includes(':'))
          return [
            {
              message: `container ${JSON.stringify(c.name)}: image ${JSON.stringify(c.image)} has no tag`,
              field,
              container: c.name,
              severity: Severity.WARNING,
            },
          ];
        return [];
      }),
};

/** Reports a `runtimeClassName` the context does not know (stands in for the real `runtime-class-unknown`). */
const RUNTIME_CLASS_RULE: Rule = {
  id: 'test-runtime-class',
  severity: Severity.ERROR,
  title: 'RuntimeClasses exist',
  reason: 'test',
  fix: 'define it',
  check: (s, ctx) => {
    const name = s.spec.runtimeClassName;
    if (name === undefined) return [];
    if (ctx.runtimeClasses === undefined) throw new Error('the CLI must always know the RuntimeClasses');
    return ctx.runtimeClasses.has(name)
      ? []
      : [{ message: `runtimeClassName ${JSON.stringify(name)} names no known RuntimeClass`, field: `${s.podSpecPath}.runtimeClassName` }];
  },
};

const RULES = [IMAGE_RULE, RUNTIME_CLASS_RULE];

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function run(argv: string[], stdin?: string): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(
    argv,
    // judged in the temp folder: no repository configuration file applies
    { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: dir, ...(stdin !== undefined ? { stdin: async () => stdin } : {}) },
    RULES,
  );
  return { code, stdout, stderr };
}

const GOOD_POD = `apiVersion: v1
kind: Pod
metadata:
  name: good
spec:
  containers:
    - name: main
      image: nginx:1.27.3
`;

const BAD_DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: prod
spec:
  template:
    spec:
      containers:
        - name: main
          image: nginx:latest
        - name: side
          image: busybox
`;

let dir: string;
function write(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'safe-pods-cli-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('check', () => {
  test('exits 0 with a summary when no rule fails', async () => {
    const r = await run(['check', write('good.yaml', GOOD_POD)]);
    expect(r).toEqual({ code: ExitCode.OK, stdout: '0 errors, 0 warnings in 1 object (1 file)\n', stderr: '' });
  });

  test('exits 1 and prints file:line, severity, rule, subject and message for each finding', async () => {
    const file = write('bad.yaml', BAD_DEPLOYMENT);
    const r = await run(['check', file]);
    expect(r.code).toBe(ExitCode.FINDINGS);
    expect(r.stdout.split('\n')).toEqual([
      `${file}:11:18: error test-image: Deployment "prod/web": container "main": image "nginx:latest" uses "latest"`,
      `${file}:13:18: warning test-image: Deployment "prod/web": container "side": image "busybox" has no tag`,
      '1 error, 1 warning in 1 object (1 file)',
      '',
    ]);
    expect(r.stderr).toBe('');
  });

  test('exits 0 when the only findings are warnings', async () => {
    const r = await run(['check', write('warn.yaml', GOOD_POD.replace('nginx:1.27.3', 'nginx'))]);
    expect(r.code).toBe(ExitCode.OK);
    expect(r.stdout).toMatch(/warning test-image/);
  });

  test('prints the JSON shape with --format json', async () => {
    const file = write('bad.yaml', BAD_DEPLOYMENT);
    const r = await run(['check', '--format', 'json', file]);
    expect(r.code).toBe(ExitCode.FINDINGS);
    const out = JSON.parse(r.stdout);
    expect(out).toEqual({
      findings: [
        {
          rule: 'test-image',
          severity: 'error',
          message: 'container "main": image "nginx:latest" uses "latest"',
          file,
          line: 11,
          column: 18,
          document: 0,
          item: null,
          kind: 'Deployment',
          name: 'web',
          namespace: 'prod',
          path: 'spec.template.spec.containers[0].image',
          container: 'main',
          constructPath: null,
        },
        expect.objectContaining({ severity: 'warning', container: 'side', path: 'spec.template.spec.containers[1].image', line: 13 }),
      ],
      errors: [],
      summary: { errors: 1, warnings: 1, files: 1, objects: 1, judged: 1, notJudged: {}, inputErrors: 0 },
    });
    expect(r.stdout).toBe(`${JSON.stringify(out, null, 2)}\n`); // written piece by piece, byte for byte JSON.stringify
  });

  test('checks every document of a multi-document file and skips empty documents', async () => {
    const file = write('multi.yaml', `---\n${GOOD_POD}---\n# just a comment\n---\n---\n${BAD_DEPLOYMENT}---\n`);
    const out = JSON.parse((await run(['check', '--format=json', file])).stdout);
    expect(out.summary).toEqual({ errors: 1, warnings: 1, files: 1, objects: 2, judged: 2, notJudged: {}, inputErrors: 0 });
    expect(out.findings.map((f: any) => [f.document, f.line])).toEqual([
      [3, 24],
      [3, 26],
    ]);
  });

  test('expands List objects and reports the item index', async () => {
    const list = {
      apiVersion: 'v1',
      kind: 'List',
      items: [
        { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a' }, spec: { containers: [{ name: 'c', image: 'a:1' }] } },
        { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'b' }, spec: { containers: [{ name: 'c', image: 'b:latest' }] } },
      ],
    };
    const file = write('list.json', JSON.stringify(list, null, 2));
    const r = await run(['check', '--format', 'json', file]);
    expect(r.code).toBe(ExitCode.FINDINGS);
    const out = JSON.parse(r.stdout);
    expect(out.findings).toHaveLength(1);
    expect(out.findings[0]).toMatchObject({ name: 'b', item: 1, document: 0, file });
    expect(out.findings[0].line).toBe(
      JSON.stringify(list, null, 2)
        .split('\n')
        .findIndex((l) => l.includes('b:latest')) + 1,
    );
  });

  test('reads standard input for "-"', async () => {
    const r = await run(['check', '-'], BAD_DEPLOYMENT);
    expect(r.code).toBe(ExitCode.FINDINGS);
    expect(r.stdout).toMatch(/^<stdin>:11:18: error test-image: Deployment "prod\/web"/);
  });

  test('walks folders recursively and checks files together', async () => {
    write('a/good.yaml', GOOD_POD);
    write('a/b/bad.yml', BAD_DEPLOYMENT);
    write('a/notes.txt', 'not yaml: [');
    const r = await run(['check', path.join(dir, 'a')]);
    expect(r.code).toBe(ExitCode.FINDINGS);
    expect(r.stdout).toMatch(/1 error, 1 warning in 2 objects \(2 files\)\n$/);
  });

  test('exits 3 and prints file:line:column for invalid YAML, and still checks every other document and file', async () => {
    const good = write('good.yaml', BAD_DEPLOYMENT);
    const bad = write('bad.yaml', `${GOOD_POD}---\nspec:\n  containers: [\n---\n${BAD_DEPLOYMENT}`);
    const r = await run(['check', good, bad]);
    expect(r.code).toBe(ExitCode.INPUT);
    expect(r.stderr).toBe(`cdk8s-safe-pods: ${bad}:12:1: unexpected end of the stream within a flow collection\n`);
    // sorted by file, line, column and rule, whatever order the files were given in
    expect(r.stdout.split('\n')).toEqual([
      `${bad}:23:18: error test-image: Deployment "prod/web": container "main": image "nginx:latest" uses "latest"`,
      `${bad}:25:18: warning test-image: Deployment "prod/web": container "side": image "busybox" has no tag`,
      `${good}:11:18: error test-image: Deployment "prod/web": container "main": image "nginx:latest" uses "latest"`,
      `${good}:13:18: warning test-image: Deployment "prod/web": container "side": image "busybox" has no tag`,
      '2 errors, 2 warnings in 3 objects (2 files); 1 input error: the check is incomplete',
      '',
    ]);
  });

  test('lists input errors beside the findings with --format json', async () => {
    const bad = write('bad.yaml', `${BAD_DEPLOYMENT}---\na: b: c\n`);
    const r = await run(['check', '--format', 'json', bad]);
    expect(r.code).toBe(ExitCode.INPUT);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    expect(out.errors).toEqual([{ file: bad, line: 15, column: 5, message: expect.stringContaining('bad indentation') }]);
    expect(out.findings).toHaveLength(2);
    expect(out.summary).toEqual({ errors: 1, warnings: 1, files: 1, objects: 1, judged: 1, notJudged: {}, inputErrors: 1 });
  });

  test('exits 3 for invalid YAML on standard input', async () => {
    const r = await run(['check', '-'], 'a: b: c\n');
    expect(r.code).toBe(ExitCode.INPUT);
    expect(r.stderr).toMatch(/^cdk8s-safe-pods: <stdin>:1:\d+: /);
  });

  test('exits 3 for a path that does not exist, and checks the other paths', async () => {
    const r = await run(['check', path.join(dir, 'missing.yaml'), write('bad.yaml', BAD_DEPLOYMENT)]);
    expect(r.code).toBe(ExitCode.INPUT);
    expect(r.stderr).toMatch(/missing\.yaml: cannot read: no such file or directory \(ENOENT\)/);
    expect(r.stdout).toMatch(/1 error, 1 warning in 1 object \(1 file\); 1 input error/);
  });

  test('exits 3 when there is no Kubernetes object at all, unless --allow-empty', async () => {
    const empty = write('empty.yaml', '# nothing rendered\n');
    const r = await run(['check', empty]);
    expect(r.code).toBe(ExitCode.INPUT);
    expect(r.stderr).toBe(
      `cdk8s-safe-pods: ${empty}: no Kubernetes objects (read 1 file): an empty render, or the wrong path? Pass --allow-empty if this is expected\n`,
    );
    expect((await run(['check', '-'], '')).code).toBe(ExitCode.INPUT);
    expect((await run(['check', write('values.yaml', 'replicas: 3\n')])).code).toBe(ExitCode.INPUT);
    expect(await run(['check', '--allow-empty', empty])).toEqual({
      code: ExitCode.OK,
      stdout: '0 errors, 0 warnings in 0 objects (1 file)\n',
      stderr: '',
    });
  });

  test("skips cdk8s's construct-metadata.json in folders and says so in the summary", async () => {
    write('dist/app.k8s.yaml', GOOD_POD);
    write('dist/construct-metadata.json', '{"version": "1.0.0", "resources": {}}');
    const r = await run(['check', path.join(dir, 'dist')]);
    expect(r).toEqual({
      code: ExitCode.OK,
      stdout: '0 errors, 0 warnings in 1 object (1 file; skipped 1 construct-metadata.json file)\n',
      stderr: '',
    });
    const json = JSON.parse((await run(['check', '--format', 'json', path.join(dir, 'dist')])).stdout);
    expect(json.summary).toEqual({
      errors: 0,
      warnings: 0,
      files: 1,
      objects: 1,
      judged: 1,
      notJudged: {},
      inputErrors: 0,
      skipped: [path.join(dir, 'dist', 'construct-metadata.json')],
    });
  });

  describe('RuntimeClasses', () => {
    const pod = (rc: string): string =>
      `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  runtimeClassName: ${rc}\n  containers: [{name: c, image: "a:1"}]\n`;
    const runtimeClass = 'apiVersion: node.k8s.io/v1\nkind: RuntimeClass\nmetadata: {name: kata}\nhandler: kata\n';

    test('reports a pod referencing a RuntimeClass neither in the files nor named with --runtime-class', async () => {
      const r = await run(['check', write('p.yaml', pod('kata'))]);
      expect(r.code).toBe(ExitCode.FINDINGS);
      expect(r.stdout).toMatch(/p\.yaml:5:21: error test-runtime-class: Pod "p": runtimeClassName "kata" names no known RuntimeClass/);
    });

    test('knows a RuntimeClass defined in another file', async () => {
      const r = await run(['check', write('p.yaml', pod('kata')), write('rc.yaml', runtimeClass)]);
      expect(r.code).toBe(ExitCode.OK);
    });

    test('knows the RuntimeClasses named with --runtime-class', async () => {
      const file = write('p.yaml', `${pod('kata')}---\n${pod('gvisor')}`);
      expect((await run(['check', '--runtime-class', 'kata', '--runtime-class=gvisor', file])).code).toBe(ExitCode.OK);
      expect((await run(['check', '--runtime-class', 'kata', file])).code).toBe(ExitCode.FINDINGS);
    });
  });

  test('passes --kubernetes-version and --require-digest to the rules', async () => {
    const seen: string[] = [];
    const spy: Rule = { ...IMAGE_RULE, id: 'spy', check: (_s, ctx) => (seen.push(`${ctx.kubernetesVersion} ${ctx.requireDigest}`), []) };
    const file = write('good.yaml', GOOD_POD);
    await runCli(['check', file], { stdout: () => {}, stderr: () => {}, cwd: dir }, [spy]);
    await runCli(['check', '--kubernetes-version', '1.30', '--require-digest', file], { stdout: () => {}, stderr: () => {}, cwd: dir }, [spy]);
    expect(seen).toEqual(['1.27 false', '1.30 true']);
  });
});

describe('usage', () => {
  test.each([
    [[], /missing command/],
    [['lint', 'x.yaml'], /unknown command "lint"/],
    [['check'], /check needs at least one path/],
    [['check', '--format', 'xml', 'x.yaml'], /--format "xml" is not supported/],
    [
      ['check', '--kubernetes-version', '2.0', 'x.yaml'],
      /--kubernetes-version: Kubernetes version "2.0" is not a version like "1.27" or "1.30"; use 1.27 to 1.35/,
    ],
    [['check', '--kubernetes-version', '1.3', 'x.yaml'], /--kubernetes-version "1.3" is not supported; use 1.27 to 1.35/],
    [['check', '--kubernetes-version', '1.99', 'x.yaml'], /--kubernetes-version "1.99" is not supported; use 1.27 to 1.35/],
    [['check', '--kubernetes-version', '1.26', 'x.yaml'], /--kubernetes-version "1.26" is not supported; use 1.27 to 1.35/],
    [['check', '--runtime-class', 'Kata_X', 'x.yaml'], /--runtime-class "Kata_X" is not a RuntimeClass name: a lowercase RFC 1123 subdomain/],
    [['check', '--runtime-class', 'a'.repeat(254), 'x.yaml'], /is not a RuntimeClass name: must be no more than 253 characters/],
    [['check', '--max-file-size', '0', 'x.yaml'], /--max-file-size "0" is not a size from 1 byte to 511MiB/],
    [['check', '--max-file-size', '2GiB', 'x.yaml'], /--max-file-size "2GiB" is not a size/],
    [['check', '--max-file-size', '10 parsecs', 'x.yaml'], /--max-file-size "10 parsecs" is not a size/],
    [['check', '--max-depth', '0', 'x.yaml'], /--max-depth "0" is not a number from 1 to 1000/],
    [['rules', 'foo', 'bar'], /rules takes no arguments, got "foo" "bar"/],
    [['check', '--bogus', 'x.yaml'], /Unknown option '--bogus'/],
    [['check', '--format'], /argument missing/],
  ])('exits 2 for %p with a message and the usage', async (argv, message) => {
    const r = await run(argv);
    expect(r.code).toBe(ExitCode.USAGE);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/Usage:/);
  });

  test('exits 2 for "-" when standard input is not available', async () => {
    let stderr = '';
    const code = await runCli(['check', '-'], { stdout: () => {}, stderr: (t) => (stderr += t), cwd: dir }, RULES);
    expect(code).toBe(ExitCode.USAGE);
    expect(stderr).toMatch(/standard input/);
  });

  test.each([['--help'], ['-h'], ['help'], ['check', '--help']])('prints the usage and exits 0 for %p', async (...argv) => {
    const r = await run(argv);
    expect(r.code).toBe(ExitCode.OK);
    expect(r.stdout).toMatch(/^Usage:\n {2}cdk8s-safe-pods check/);
    expect(r.stdout).toMatch(/Exit codes \(the highest that applies\):\n {2}0 {2}every input was read/);
    expect(r.stdout).toMatch(/ {2}3 {2}input errors/);
    expect(r.stdout).toMatch(/--max-file-size SIZE .*\n.*\(default: 64MiB\)/);
  });
});

describe('rules', () => {
  test('lists id, severity and title of every rule, including the suppression rules', async () => {
    const r = await run(['rules']);
    expect(r.code).toBe(ExitCode.OK);
    expect(r.stdout.split('\n').map((l) => l.split(/ {2,}/))).toEqual([
      ['test-image', 'error', 'Images are pinned'],
      ['test-runtime-class', 'error', 'RuntimeClasses exist'],
      ['suppression-without-reason', 'error', 'A suppression annotation must give a reason'],
      ['suppression-unknown-rule', 'warning', 'A suppression annotation names a rule that does not exist'],
      ['suppression-unknown-container', 'warning', 'A suppression annotation names a container the pod does not have'],
      [''],
    ]);
  });

  test('lists the catalogue as JSON with --format json', async () => {
    const out = JSON.parse((await run(['rules', '--format', 'json'])).stdout);
    expect(out.rules[0]).toEqual({ id: 'test-image', severity: 'error', title: 'Images are pinned', reason: 'test', fix: 'pin it' });
    expect(out.rules).toHaveLength(5);
  });
});
