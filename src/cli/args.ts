/**
 * The command line of every CLI command: one parser (Node's `util.parseArgs`, strict, with positionals) and one
 * error for a command line that cannot be run as given.
 */
import type { ParseArgsConfig } from 'util';
import { parseArgs } from 'util';

/** A command line that cannot be run as given: the CLI prints the message and the usage, and exits 2. */
export class UsageError extends Error {}

/** The options of a command, as `util.parseArgs` takes them. */
type CommandOptions = NonNullable<ParseArgsConfig['options']>;

/** What `parseCommandLine` returns for `options`: the typed values and the positionals. */
export type ParsedCommandLine<O extends CommandOptions> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>
>;

/**
 * Parses `argv` strictly: an unknown option, a missing value or a value given to a boolean is a `UsageError` with
 * Node's message; positionals are allowed (the command decides what they mean).
 */
export function parseCommandLine<O extends CommandOptions>(argv: readonly string[], options: O): ParsedCommandLine<O> {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}
