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
    { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), ...(stdin !== undefined ? { stdin: async () => stdin } : {}) },
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
      `${file}:11: error test-image: Deployment "prod/web": container "main": image "nginx:latest" uses "latest"`,
      `${file}:13: warning test-image: Deployment "prod/web": container "side": image "busybox" has no tag`,
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
          document: 0,
          item: null,
          kind: 'Deployment',
          name: 'web',
          namespace: 'prod',
          path: 'spec.template.spec.containers[0].image',
          container: 'main',
        },
        expect.objectContaining({ severity: 'warning', container: 'side', path: 'spec.template.spec.containers[1].image', line: 13 }),
      ],
      summary: { errors: 1, warnings: 1, files: 1, objects: 1, judged: 1, notJudged: {} },
    });
  });

  test('checks every document of a multi-document file and skips empty documents', async () => {
    const file = write('multi.yaml', `---\n${GOOD_POD}---\n# just a comment\n---\n---\n${BAD_DEPLOYMENT}---\n`);
    const out = JSON.parse((await run(['check', '--format=json', file])).stdout);
    expect(out.summary).toEqual({ errors: 1, warnings: 1, files: 1, objects: 2, judged: 2, notJudged: {} });
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
    expect(r.stdout).toMatch(/^<stdin>:11: error test-image: Deployment "prod\/web"/);
  });

  test('walks folders recursively and checks files together', async () => {
    write('a/good.yaml', GOOD_POD);
    write('a/b/bad.yml', BAD_DEPLOYMENT);
    write('a/notes.txt', 'not yaml: [');
    const r = await run(['check', path.join(dir, 'a')]);
    expect(r.code).toBe(ExitCode.FINDINGS);
    expect(r.stdout).toMatch(/1 error, 1 warning in 2 objects \(2 files\)\n$/);
  });

  test('exits 2 and prints file:line:column for invalid YAML, without checking anything', async () => {
    const good = write('good.yaml', GOOD_POD);
    const bad = write('bad.yaml', `${GOOD_POD}---\nspec:\n  containers: [\n`);
    const r = await run(['check', good, bad]);
    expect(r.code).toBe(ExitCode.USAGE);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(new RegExp(`^cdk8s-safe-pods: ${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:12:1: `));
  });

  test('exits 2 for invalid YAML on standard input', async () => {
    const r = await run(['check', '-'], 'a: b: c\n');
    expect(r.code).toBe(ExitCode.USAGE);
    expect(r.stderr).toMatch(/^cdk8s-safe-pods: <stdin>:1:\d+: /);
  });

  test('exits 2 for a path that does not exist', async () => {
    const r = await run(['check', path.join(dir, 'missing.yaml')]);
    expect(r.code).toBe(ExitCode.USAGE);
    expect(r.stderr).toMatch(/missing\.yaml: cannot read: ENOENT/);
  });

  describe('RuntimeClasses', () => {
    const pod = (rc: string): string =>
      `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  runtimeClassName: ${rc}\n  containers: [{name: c, image: "a:1"}]\n`;
    const runtimeClass = 'apiVersion: node.k8s.io/v1\nkind: RuntimeClass\nmetadata: {name: kata}\nhandler: kata\n';

    test('reports a pod referencing a RuntimeClass neither in the files nor named with --runtime-class', async () => {
      const r = await run(['check', write('p.yaml', pod('kata'))]);
      expect(r.code).toBe(ExitCode.FINDINGS);
      expect(r.stdout).toMatch(/p\.yaml:5: error test-runtime-class: Pod "p": runtimeClassName "kata" names no known RuntimeClass/);
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
    await runCli(['check', file], { stdout: () => {}, stderr: () => {} }, [spy]);
    await runCli(['check', '--kubernetes-version', '1.30', '--require-digest', file], { stdout: () => {}, stderr: () => {} }, [spy]);
    expect(seen).toEqual(['1.27 false', '1.30 true']);
  });
});

describe('usage', () => {
  test.each([
    [[], /missing command/],
    [['lint', 'x.yaml'], /unknown command "lint"/],
    [['check'], /check needs at least one path/],
    [['check', '--format', 'xml', 'x.yaml'], /--format "xml" is not supported/],
    [['check', '--kubernetes-version', '2.0', 'x.yaml'], /--kubernetes-version: Kubernetes version "2.0" is not a version/],
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
    const code = await runCli(['check', '-'], { stdout: () => {}, stderr: (t) => (stderr += t) }, RULES);
    expect(code).toBe(ExitCode.USAGE);
    expect(stderr).toMatch(/standard input/);
  });

  test.each([['--help'], ['-h'], ['help'], ['check', '--help']])('prints the usage and exits 0 for %p', async (...argv) => {
    const r = await run(argv);
    expect(r.code).toBe(ExitCode.OK);
    expect(r.stdout).toMatch(/^Usage:\n {2}cdk8s-safe-pods check/);
    expect(r.stdout).toMatch(/Exit codes: 0 no errors/);
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
