#!/usr/bin/env node
import { readBoundedStream } from '../io/files';
import { ExitCode, runCli } from './run';

const DEBUG = process.env.CDK8S_SAFE_PODS_DEBUG === '1';

// Node prints process warnings (its own, and dependencies' `process.emitWarning`) on stderr: they are not ours to show
process.removeAllListeners('warning');
process.on('warning', (w) => {
  if (DEBUG) process.stderr.write(`cdk8s-safe-pods: (debug) ${w.name}: ${w.message}\n`);
});

/** The last resort: a bug. One line, exit code 4, the stack only when asked for. */
function internalError(e: unknown): void {
  const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  process.stderr.write(
    `cdk8s-safe-pods: internal error: ${message.split('\n')[0]} (a bug; please report it, with CDK8S_SAFE_PODS_DEBUG=1 for details)\n`,
  );
  if (DEBUG && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
  process.exitCode = ExitCode.INTERNAL;
}

// standard output may be closed early (`check ... | head -1`): then stop writing, quietly
let stdoutClosed = false;
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') stdoutClosed = true;
  else internalError(e);
});
let stderrClosed = false;
process.stderr.on('error', () => {
  stderrClosed = true; // nowhere left to say anything
});

// output is buffered and written in large pieces: a million findings are a million small writes otherwise
let pending: string[] = [];
let pendingLength = 0;
function flush(): void {
  if (pending.length > 0 && !stdoutClosed) process.stdout.write(pending.join(''));
  pending = [];
  pendingLength = 0;
}

process.on('uncaughtException', (e) => {
  internalError(e);
  process.exit();
});
process.on('unhandledRejection', (e) => {
  internalError(e);
  process.exit();
});

async function main(): Promise<void> {
  const code = await runCli(process.argv.slice(2), {
    stdout: (text) => {
      if (stdoutClosed) return;
      pending.push(text);
      pendingLength += text.length;
      if (pendingLength >= 1 << 16) flush();
    },
    stderr: (text) => {
      flush();
      if (!stderrClosed) process.stderr.write(text);
    },
    stdin: (maxBytes) => readBoundedStream(process.stdin, maxBytes),
  });
  flush();
  process.exitCode = code;
}

main().catch(internalError);
