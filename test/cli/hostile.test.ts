/**
 * Hostile and malformed input (issue 12, the reading part): every case ends in a finding, a clean verdict or an input
 * error naming the file, with the exit code the docs give; none in a crash, a stack trace or the internal-error
 * handler. Small inputs are in test/fixtures/hostile/; large ones are generated in a temporary folder removed at the end.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ExitCode, runCli } from '../../src/cli/run';
import { readManifestText } from '../../src/io/manifests';
import { CliProcess } from './cli-process';
import type { ProcessRun } from './cli-process';
import { bestCpuMs } from '../support/cpu';

const HOSTILE = path.join(__dirname, '..', 'fixtures', 'hostile');

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI in this process, with the real rule catalogue. */
async function check(args: string[], stdin?: string | Buffer): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(['check', '--no-config', ...args], {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    ...(stdin !== undefined ? { stdin: async () => stdin } : {}),
  });
  return { code, stdout, stderr };
}

/** No stack trace, no internal error, no raw control character: what every hostile case must hold to. */
function expectClean(r: { stdout: string; stderr: string; code?: number; status?: number | null }): void {
  expect(r.stderr).not.toMatch(/internal error/);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.code ?? r.status).not.toBe(ExitCode.INTERNAL);
  expect(`${r.stdout}${r.stderr}`.replace(/\n/g, '')).not.toMatch(/[\u0000-\u001f\u007f]/); // eslint-disable-line no-control-regex
}

const fixture = (f: string): string => path.join(HOSTILE, f);

describe('hostile files, one at a time', () => {
  test.each([
    // [file, exit code, what stderr says (or undefined: nothing), what the summary says]
    ['utf8-bom.yaml', ExitCode.FINDINGS, undefined, /1 error, 0 warnings in 1 object/],
    ['utf16le-bom.yaml', ExitCode.FINDINGS, undefined, /1 error, 0 warnings in 1 object/],
    ['utf16be-bom.yaml', ExitCode.FINDINGS, undefined, /1 error, 0 warnings in 1 object/],
    ['bom-later-document.yaml', ExitCode.FINDINGS, undefined, /1 error, 0 warnings in 2 objects/],
    ['yaml11-booleans.yaml', ExitCode.OK, undefined, /0 errors, 0 warnings in 1 object/],
    [
      'utf16le-no-bom.yaml',
      ExitCode.INPUT,
      /utf16le-no-bom\.yaml:1:2: contains a NUL character \(binary data, or UTF-16 without a byte order mark\?\)/,
      /in 0 objects/,
    ],
    ['binary.yaml', ExitCode.INPUT, /binary\.yaml:\d+:\d+: contains a NUL character/, /in 0 objects/],
    ['invalid-utf8.yaml', ExitCode.INPUT, /invalid-utf8\.yaml:4:12: not valid UTF-8 \(byte 0xE9\)/, /in 0 objects/],
    ['duplicate-key.yaml', ExitCode.INPUT, /duplicate-key\.yaml:11:7: duplicated key "image": kubectl refuses duplicate fields/, /in 0 objects/],
    [
      'alias-bomb.yaml',
      ExitCode.INPUT,
      /alias-bomb\.yaml:\d+:\d+: aliases expand to \d+ nodes, 99% of them from aliases: kubectl refuses it/,
      /in 0 objects/,
    ],
    ['self-alias.yaml', ExitCode.INPUT, /self-alias\.yaml:5:9: an alias refers to a node that contains it/, /in 0 objects/],
    [
      'deep-nesting.yaml',
      ExitCode.INPUT,
      /deep-nesting\.yaml:1: collections are nested too deeply to read \(the limit is 200 levels\)/,
      /in 0 objects/,
    ],
    ['infinity.yaml', ExitCode.INPUT, /infinity\.yaml:5:34: \.inf and \.nan have no JSON form/, /in 0 objects/],
    [
      'separator-with-content.yaml',
      ExitCode.INPUT,
      /separator-with-content\.yaml:11:4: kubectl refuses a "---" line followed by anything but a comment/,
      /1 error, 0 warnings in 2 objects/,
    ],
    [
      'content-after-document-end.yaml',
      ExitCode.INPUT,
      /content-after-document-end\.yaml:12:1: content after a "\.\.\." \(document end\) line is ignored by kubectl/,
      /in 1 object/,
    ],
    ['empty.yaml', ExitCode.INPUT, /empty\.yaml: no Kubernetes objects \(read 1 file\)/, /in 0 objects/],
    ['comments-only.yaml', ExitCode.INPUT, /comments-only\.yaml: no Kubernetes objects/, /in 0 objects/],
  ])('%s: exit %d', async (file, code, stderr, summary) => {
    const r = await check([fixture(file)]);
    expectClean(r);
    expect(r.code).toBe(code);
    if (stderr) expect(r.stderr).toMatch(stderr);
    else expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(summary);
  });

  test('every fixture of the folder is a case of the table above', () => {
    const files = fs.readdirSync(HOSTILE).filter((f) => f.endsWith('.yaml'));
    expect(files).toHaveLength(17);
  });
});

describe('a folder with one broken file', () => {
  test('judges every other file and reports the broken one with line and column (text)', async () => {
    const r = await check([fixture('folder')]);
    expectClean(r);
    expect(r.code).toBe(ExitCode.INPUT);
    expect(r.stderr).toBe(
      `cdk8s-safe-pods: ${fixture('folder/c-broken.yaml')}:16:3: duplicated key "name": kubectl refuses duplicate fields (--validate=strict, its default) and otherwise keeps only the last; keep one\n`,
    );
    expect(r.stdout).toMatch(
      new RegExp(`^${fixture('folder/b-good.yaml').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:9:14: error image-not-pinned: Pod "b-good"`),
    );
    expect(r.stdout).toMatch(/1 error, 0 warnings in 4 objects \(4 files\); 1 input error: the check is incomplete\n$/);
  });

  test('and in JSON: findings and errors side by side', async () => {
    const r = await check(['--format', 'json', fixture('folder')]);
    expectClean(r);
    expect(r.code).toBe(ExitCode.INPUT);
    const out = JSON.parse(r.stdout);
    expect(out.findings.map((f: { file: string; rule: string; line: number }) => [path.basename(f.file), f.rule, f.line])).toEqual([
      ['b-good.yaml', 'image-not-pinned', 9],
    ]);
    expect(out.errors).toEqual([
      { file: fixture('folder/c-broken.yaml'), line: 16, column: 3, message: expect.stringContaining('duplicated key "name"') },
    ]);
    expect(out.summary).toEqual({ errors: 1, warnings: 0, files: 4, objects: 4, judged: 4, notJudged: {}, inputErrors: 1 });
  });
});

describe('generated inputs', () => {
  let dir: string;
  const at = (f: string): string => path.join(dir, f);
  const pod = (name: string, image = 'nginx:latest'): string =>
    `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  enableServiceLinks: false\n  containers:\n    - name: main\n      image: ${image}\n      imagePullPolicy: IfNotPresent\n`;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'safe-pods-hostile-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('symbolic links are followed, a link loop is walked once, and the same file by two paths is read once', async () => {
    fs.mkdirSync(at('manifests/nested'), { recursive: true });
    fs.writeFileSync(at('elsewhere.yaml'), pod('linked'));
    fs.writeFileSync(at('manifests/nested/pod.yaml'), pod('nested'));
    fs.symlinkSync(at('elsewhere.yaml'), at('manifests/link.yaml'));
    fs.symlinkSync(at('manifests'), at('manifests/nested/loop'));
    const r = await check([at('manifests'), at('manifests/nested/pod.yaml'), at('elsewhere.yaml'), at('manifests/nested/loop/link.yaml')]);
    expectClean(r);
    expect(r.code).toBe(ExitCode.FINDINGS);
    expect(r.stdout).toMatch(/2 errors, 0 warnings in 2 objects \(2 files\)\n$/);
  });

  test('a folder of symbolic links only is read, not "without manifests"', async () => {
    fs.writeFileSync(at('real.yaml'), pod('real'));
    fs.mkdirSync(at('links'));
    fs.symlinkSync(at('real.yaml'), at('links/a.yaml'));
    const r = await check([at('links')]);
    expect(r.code).toBe(ExitCode.FINDINGS);
  });

  test('a broken symbolic link and a missing path are input errors; the rest is judged', async () => {
    fs.mkdirSync(at('m'));
    fs.writeFileSync(at('m/pod.yaml'), pod('p'));
    fs.symlinkSync(at('gone.yaml'), at('m/broken.yaml'));
    const r = await check([at('m'), at('missing')]);
    expectClean(r);
    expect(r.code).toBe(ExitCode.INPUT);
    expect(r.stderr.split('\n')).toEqual([
      `cdk8s-safe-pods: ${at('m/broken.yaml')}: cannot read: no such file or directory (ENOENT): a broken symbolic link`,
      `cdk8s-safe-pods: ${at('missing')}: cannot read: no such file or directory (ENOENT)`,
      '',
    ]);
    expect(r.stdout).toMatch(/1 error, 0 warnings in 1 object/);
  });

  test('file names with newlines, escape codes and bidirectional overrides are printed escaped', async () => {
    const names = ['new\nline.yaml', 'esc\u001b[31mred.yaml', 'bidi\u202eLMY.yaml'];
    for (const n of names) fs.writeFileSync(at(n), pod('p'));
    fs.writeFileSync(at('broken\n.yaml'), 'a: [\n');
    const r = await check([dir]);
    expectClean(r);
    expect(r.stdout).toContain(`"${dir}/new\\nline.yaml":9:14: error`);
    expect(r.stdout).toContain(`"${dir}/esc\\u001b[31mred.yaml":9:14: error`);
    expect(r.stdout).toContain(`"${dir}/bidi\\u202eLMY.yaml":9:14: error`);
    expect(r.stderr).toContain(`cdk8s-safe-pods: "${dir}/broken\\n.yaml":2:1: `);
    expect(r.stdout + r.stderr).not.toMatch(/[\u001b\u202e]/); // eslint-disable-line no-control-regex
  });

  test('a file over the size limit is refused from its size, before it is read', async () => {
    fs.writeFileSync(at('big.yaml'), '');
    fs.truncateSync(at('big.yaml'), 65 * 2 ** 20); // sparse: nothing to write
    const r = await check([at('big.yaml'), fixture('utf8-bom.yaml')]);
    expectClean(r);
    expect(r.code).toBe(ExitCode.INPUT);
    expect(r.stderr).toBe(
      `cdk8s-safe-pods: ${at('big.yaml')}: is 68157440 bytes, more than the limit of 64 MiB; raise it with --max-file-size if this input is expected\n`,
    );
    expect(r.stdout).toMatch(/1 error, 0 warnings in 1 object \(2 files\)/);
    expect((await check(['--max-file-size', '1KiB', fixture('utf8-bom.yaml')])).code).toBe(ExitCode.FINDINGS);
    expect((await check(['--max-file-size', '100', fixture('utf8-bom.yaml')])).stderr).toMatch(/is 182 bytes, more than the limit of 100 bytes/);
  });

  test('standard input over the limit is refused, and empty standard input is no objects', async () => {
    expect(await check(['--max-file-size', '1KiB', '-'], 'x'.repeat(2000))).toEqual({
      code: ExitCode.INPUT,
      stdout: '0 errors, 0 warnings in 0 objects (0 files); 1 input error: the check is incomplete\n',
      stderr: 'cdk8s-safe-pods: <stdin>: is more than the limit of 1 KiB; raise it with --max-file-size if this input is expected\n',
    });
    const empty = await check(['-'], '');
    expect(empty.code).toBe(ExitCode.INPUT);
    expect(empty.stderr).toMatch(/<stdin>: no Kubernetes objects/);
    expect((await check(['-', '-'], pod('twice'))).stdout).toMatch(/in 1 object \(1 file\)/);
  });

  test('a heap nearly full stops reading with a message, never an abort', () => {
    const text = Array.from({ length: 2500 }, (_, i) => pod(`p${i}`)).join('---\n');
    const r = readManifestText(text, 'many.yaml', { maxHeapFraction: 1e-6 });
    expect(r.errors).toEqual([
      {
        file: 'many.yaml',
        line: expect.any(Number),
        message: expect.stringContaining('stopped reading: the objects read so far, and checking them, would fill the JavaScript heap'),
      },
    ]);
    expect(r.objects.length).toBeLessThan(2500);
  });
});

describe('reading stays linear', () => {
  /**
   * The least CPU time (this process, every thread) of three runs, in milliseconds: CPU time, not wall time, so that
   * other jobs sharing the machine do not count.
   */
  const fastest = (f: () => void): number => Math.max(bestCpuMs(f, 3), 1);

  /** Reads `make(n)` and locates every object's first container image (what findings do). */
  function readAndLocate(text: string): void {
    const { objects, errors } = readManifestText(text, 'x.yaml');
    expect(errors).toEqual([]);
    for (const o of objects) o.locate?.('spec.containers[0].image');
  }

  const pod = (i: number): string =>
    `apiVersion: v1\nkind: Pod\nmetadata: {name: p${i}}\nspec:\n  containers:\n    - name: main\n      image: nginx:${i}\n`;
  const item = (i: number): string =>
    `${pod(i)
      .trimEnd()
      .split('\n')
      .map((l, k) => `${k === 0 ? '  - ' : '    '}${l}`)
      .join('\n')}\n`;

  // generous bounds: linear is 10x, quadratic 100x; a loaded machine stays far from both edges
  test.each([
    ['documents', (n: number) => Array.from({ length: n }, (_, i) => pod(i)).join('---\n'), 100],
    [
      'List items in one document',
      (n: number) => `apiVersion: v1\nkind: List\nitems:\n${Array.from({ length: n }, (_, i) => item(i)).join('')}`,
      100,
    ],
    ['a long scalar', (n: number) => `${pod(0)}      args: ["${'x'.repeat(n * 100)}"]\n`, 1000],
    ['a long plain line', (n: number) => `${pod(0)}      args: [${Array.from({ length: n * 10 }, (_, i) => `a${i}`).join(', ')}]\n`, 100],
    [
      'aliases',
      (n: number) =>
        `apiVersion: v1\nkind: ConfigMap\nbase: &b {a: 1}\ndata:\n${Array.from({ length: n * 10 }, (_, i) => `  k${i}: *b`).join('\n')}\n`,
      100,
    ],
  ])('%s: ten times the input takes well under a hundred times as long', (_name, make, n) => {
    const small = make(n);
    const large = make(n * 10);
    readAndLocate(small); // warm up
    const [a, b] = [fastest(() => readAndLocate(small)), fastest(() => readAndLocate(large))];
    if (process.env.SHOW_RATIOS) process.stdout.write(`${_name}: ${a.toFixed(1)} ms, ${b.toFixed(1)} ms, ${(b / a).toFixed(1)}x\n`);
    expect(b / a).toBeLessThan(30);
  });
});

describe('the CLI as a process', () => {
  let cli: CliProcess;
  let dir: string;
  const runs = new Map<string, Promise<ProcessRun>>();

  beforeAll(() => {
    cli = new CliProcess();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'safe-pods-hostile-process-'));
    const manyFindings = Array.from(
      { length: 3000 },
      (_, i) => `apiVersion: v1\nkind: Pod\nmetadata: {name: p${i}}\nspec: {containers: [{name: c, image: "nginx:latest"}]}\n`,
    ).join('---\n');
    fs.writeFileSync(path.join(dir, 'many.yaml'), manyFindings);
    // 200 MB of a million small pods
    const podText = (i: number): string => {
      const text = `---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: pod-${String(i).padStart(7, '0')}\n  namespace: default\nspec:\n  containers:\n    - name: main\n      image: registry.example.com/team/app:1.2.3\n`;
      return `${text}#${'-'.repeat(200 - text.length - 2)}\n`; // 200 bytes a pod
    };
    const fd = fs.openSync(path.join(dir, 'huge.yaml'), 'w');
    const block = Array.from({ length: 1000 }, (_, i) => podText(i)).join('');
    for (let i = 0; i < 1000; i++) fs.writeSync(fd, block);
    fs.closeSync(fd);
    const preload = (name: string, code: string): string => {
      const file = path.join(dir, name);
      fs.writeFileSync(file, code);
      return file;
    };
    const warn = preload(
      'warn.js',
      "process.emitWarning('a dependency warns', 'DeprecationWarning'); process.emitWarning('Keys with collection values will be stringified');\n",
    );
    const bug = preload('bug.js', "process.stdout.write = () => { throw new TypeError('cannot write'); };\n");
    const good = fixture('utf8-bom.yaml');
    runs.set('epipe', cli.run(['check', path.join(dir, 'many.yaml')], { closeStdoutAfter: 1 }));
    runs.set('dev-zero', cli.run(['check', '-'], { stdinFile: '/dev/zero' }));
    runs.set('empty-stdin', cli.run(['check', '-'], { input: '' }));
    runs.set('huge', cli.run(['check', path.join(dir, 'huge.yaml')]));
    runs.set('warnings', cli.run(['check', good], { preload: [warn] }));
    runs.set('internal', cli.run(['check', good], { preload: [bug] }));
    runs.set('utf16-stdin', cli.run(['check', '-'], { input: fs.readFileSync(fixture('utf16le-bom.yaml')) }));
  }, 60_000);

  afterAll(async () => {
    await Promise.allSettled(runs.values());
    cli.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  // the processes run concurrently from beforeAll; a test waits for its own
  jest.setTimeout(60_000);

  test('EPIPE on standard output (`check … | head -1`) ends quietly', async () => {
    const r = await runs.get('epipe')!;
    expect(r.signal).toBeNull();
    expect(r.stderr).toBe('');
    expect(r.status).toBe(ExitCode.FINDINGS);
  });

  test('`check - < /dev/zero` stops at the default limit, quickly', async () => {
    const r = await runs.get('dev-zero')!;
    expectClean(r);
    expect(r.status).toBe(ExitCode.INPUT);
    expect(r.stderr).toBe('cdk8s-safe-pods: <stdin>: is more than the limit of 64 MiB; raise it with --max-file-size if this input is expected\n');
  });

  test('empty standard input (an empty `helm template`) is an input error', async () => {
    const r = await runs.get('empty-stdin')!;
    expectClean(r);
    expect(r.status).toBe(ExitCode.INPUT);
    expect(r.stderr).toMatch(/^cdk8s-safe-pods: <stdin>: no Kubernetes objects \(read 1 file\)/);
  });

  test('UTF-16 on standard input is decoded as from a file', async () => {
    const r = await runs.get('utf16-stdin')!;
    expect(r.status).toBe(ExitCode.FINDINGS);
    expect(r.stdout).toMatch(/^<stdin>:9:14: error image-not-pinned: Pod "utf16le"/);
  });

  test('a 200 MB file of a million small pods is refused with a clear message, not a V8 abort', async () => {
    const r = await runs.get('huge')!;
    expectClean(r);
    expect(r.signal).toBeNull();
    expect(r.status).toBe(ExitCode.INPUT);
    expect(r.stderr).toMatch(/huge\.yaml: is 200000000 bytes, more than the limit of 64 MiB; raise it with --max-file-size/);
  });

  test('warnings that Node or a dependency emits do not reach stderr', async () => {
    const r = await runs.get('warnings')!;
    expect(r.stderr).toBe('');
    expect(r.status).toBe(ExitCode.FINDINGS);
  });

  test('the last resort prints one line and exits 4 (and only a bug reaches it)', async () => {
    const r = await runs.get('internal')!;
    expect(r.status).toBe(ExitCode.INTERNAL);
    expect(r.stderr).toBe(
      'cdk8s-safe-pods: internal error: TypeError: cannot write (a bug; please report it, with CDK8S_SAFE_PODS_DEBUG=1 for details)\n',
    );
  });
});
