/**
 * Explains the pods of the examples app: what the kubelet builds for each container, and each pod's start and stop.
 *
 *   npx ts-node --swc examples/explain.ts                                  # every pod, as text
 *   npx ts-node --swc examples/explain.ts --object Pod/<name> --format svg > timeline.svg
 *
 * It synthesizes the charts of examples/main.ts in memory and runs `cdk8s-safe-pods explain` over the YAML, so the
 * Services, RuntimeClasses and ConfigMaps of the app are known to the explanation. Options are those of the command.
 */
import { App } from 'cdk8s';
import type { ExplainCliIo } from '../src/cli/explain';
import { runExplain } from '../src/cli/explain';
import type { ExitCode } from '../src/cli/run';
import { buildExamples } from './main';

/** Runs `explain` with `argv` over the synthesized examples app. */
export async function explainExamples(argv: readonly string[], io: Omit<ExplainCliIo, 'stdin'>): Promise<ExitCode> {
  const yaml = buildExamples(new App()).synthYaml();
  return runExplain([...argv, '-'], { ...io, stdin: async () => yaml });
}

if (require.main === module) {
  explainExamples(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    isTTY: process.stdout.isTTY === true,
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 2;
    },
  );
}
