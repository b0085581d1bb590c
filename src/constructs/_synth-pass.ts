import type { IConstruct } from 'constructs';

const PASS_SYMBOL = Symbol.for('cdk8s-safe-pods.SynthPass');

/**
 * State shared by every construct of this library during one synth (one `App.synth()`, `Chart.toJson()` or
 * `Testing.synth()` call): facts about the whole app (Services, RuntimeClasses) computed once, and the warnings
 * to print once.
 *
 * cdk8s validates constructs in pre-order, starting at the root, so a validation registered on the root runs
 * before any of ours: it opens a new pass. Everything cached in a pass is thrown away when the next one opens,
 * so an app that changes between two synths is judged afresh.
 */
export interface SynthPass {
  /** Increments at the start of every synth. */
  readonly id: number;
  /** Returns the value cached under `key` for this pass, computing it once. */
  memo<T>(key: string, compute: () => T): T;
  /** Queues a warning line to be printed (grouped) when the current synth's validation is over. */
  warn(line: string): void;
}

class Pass implements SynthPass {
  public id = 0;
  private cache = new Map<string, unknown>();
  private warnings: string[] = [];
  private flushScheduled = false;

  public open(): void {
    this.id++;
    this.cache = new Map();
    this.warnings = [];
  }

  public memo<T>(key: string, compute: () => T): T {
    if (!this.cache.has(key)) this.cache.set(key, compute());
    return this.cache.get(key) as T;
  }

  public warn(line: string): void {
    this.warnings.push(line);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      process.nextTick(() => this.flush());
    }
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.warnings.length === 0) return;
    const lines = [...new Set(this.warnings)];
    this.warnings = [];
    process.stderr.write(`cdk8s-safe-pods: ${lines.length} warning${lines.length === 1 ? '' : 's'}:\n  ${lines.join('\n  ')}\n`);
  }
}

/** The synth pass of the app that `scope` belongs to (registered on the root at first use). */
export function synthPassOf(scope: IConstruct): SynthPass {
  const root = scope.node.root as IConstruct & { [PASS_SYMBOL]?: Pass };
  let pass = root[PASS_SYMBOL];
  if (!pass) {
    const created = new Pass();
    Object.defineProperty(root, PASS_SYMBOL, { value: created, enumerable: false });
    root.node.addValidation({
      validate: () => {
        created.open();
        return [];
      },
    });
    pass = created;
  }
  return pass;
}
