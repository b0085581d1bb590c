/**
 * The CLI as a real process, started fast: `src/` is transpiled once with swc into a temporary folder (a fraction of a
 * second, where ts-node takes seconds per process), and the child finds the dependencies through NODE_PATH.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { nodePath, transpileSources } from '../../bench/transpile';

const ROOT = path.join(__dirname, '..', '..');

/** What a run of the CLI gave. */
export interface ProcessRun {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** Options of one run. */
export interface RunOptions {
  /** Written to standard input, then closed (a file path to redirect from, with `stdinFile`). */
  readonly input?: string | Buffer;
  /** A file standard input is read from (e.g. `/dev/zero`). */
  readonly stdinFile?: string;
  /** Modules preloaded with `node -r` (absolute paths). */
  readonly preload?: readonly string[];
  /** Extra environment. */
  readonly env?: Readonly<Record<string, string>>;
  /** Closes the read end of standard output after this many bytes (as `| head -c N` would). */
  readonly closeStdoutAfter?: number;
  /** Milliseconds before the process is killed. */
  readonly timeout?: number;
}

/** A transpiled copy of the CLI in a temporary folder; `dispose()` removes it. */
export class CliProcess {
  public readonly dir: string;
  public readonly main: string;

  constructor() {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'safe-pods-cli-build-'));
    this.main = transpileSources(this.dir);
  }

  /** Runs `cdk8s-safe-pods <args>`. */
  public run(args: readonly string[], options: RunOptions = {}): Promise<ProcessRun> {
    const t0 = Date.now();
    return new Promise((resolve, reject) => {
      const stdin = options.stdinFile !== undefined ? fs.openSync(options.stdinFile, 'r') : 'pipe';
      const child = spawn(process.execPath, [...(options.preload ?? []).flatMap((p) => ['-r', p]), this.main, ...args], {
        cwd: ROOT,
        env: { ...process.env, NODE_PATH: nodePath(), ...options.env },
        stdio: [stdin, 'pipe', 'pipe'],
      });
      if (typeof stdin === 'number') fs.closeSync(stdin);
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      let outBytes = 0;
      child.stdout!.on('data', (b: Buffer) => {
        out.push(b);
        outBytes += b.length;
        if (options.closeStdoutAfter !== undefined && outBytes >= options.closeStdoutAfter) child.stdout!.destroy();
      });
      child.stderr!.on('data', (b: Buffer) => err.push(b));
      child.stdin?.on('error', () => {}); // the child may stop reading early (a limit): that is not our error
      if (child.stdin) child.stdin.end(options.input ?? '');
      const timer = setTimeout(() => child.kill('SIGKILL'), options.timeout ?? 20_000);
      child.on('error', reject);
      child.on('close', (status, signal) => {
        clearTimeout(timer);
        resolve({ status, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), ms: Date.now() - t0 });
      });
    });
  }

  /** Removes the transpiled copy. */
  public dispose(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
