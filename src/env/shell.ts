/**
 * Which parts of a container's argv are shell code. The kubelet expands `$(VAR)` in `command` and `args` before the
 * process starts and leaves a reference to an undefined name in the text (`expansion.Expand`); inside a `sh -c` script
 * such text is then the shell's command substitution (`$(date)`, `$(hostname -f)`), which is what the author meant.
 */

/** The shells whose `-c` argument is a script. */
const SHELLS: ReadonlySet<string> = new Set(['sh', 'bash', 'ash', 'dash', 'ksh', 'mksh', 'zsh', 'busybox']);

function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

/**
 * The indexes (in `argv`, the container's `command` followed by its `args`) of the elements that a shell runs as
 * code: the script after `-c` (also in combined flags such as `-ec`, `-xc`) and the words after it, when `argv` starts
 * with a shell (`sh`, `/bin/bash`, `busybox sh`, `env sh`, ...). Empty when the process is not a shell with `-c`.
 */
export function shellScriptIndexes(argv: readonly string[]): number[] {
  let i = 0;
  if (i < argv.length && basename(argv[i]) === 'env') i++;
  if (i >= argv.length || !SHELLS.has(basename(argv[i]))) return [];
  if (basename(argv[i]) === 'busybox') {
    i++;
    if (i >= argv.length || !SHELLS.has(argv[i])) return [];
  }
  for (i++; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('-') || a === '-' || a === '--') return [];
    if (!a.startsWith('--') && a.slice(1).includes('c')) {
      return argv.map((_, k) => k).filter((k) => k > i);
    }
  }
  return [];
}

const SLEEP_RE = /(?:^|[;&|\n(]|\bthen\b|\bdo\b|&&)\s*(?:exec\s+)?sleep\s+(\d+(?:\.\d+)?)([smh]?)\b/g;
const UNIT: Readonly<Record<string, number>> = { '': 1, s: 1, m: 60, h: 3600 };

/**
 * Seconds of every `sleep N` the code visibly runs in sequence (`sleep 30; redis-cli ...` gives 30), summed: the
 * least time the hook needs. A `sleep` inside a loop counts once. `0` when there is none.
 */
export function visibleSleepSeconds(code: string): number {
  let total = 0;
  for (const m of code.matchAll(SLEEP_RE)) total += Number(m[1]) * UNIT[m[2]];
  return Math.ceil(total);
}
