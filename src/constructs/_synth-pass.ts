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
  /**
   * Queues a warning line. The warnings of a synth are printed together, synchronously, when the last construct of the
   * tree has been validated: before cdk8s throws the synth's errors, so a warning about the variable that broke the
   * synth is never lost.
   */
  warn(line: string): void;
}

class Pass implements SynthPass {
  public id = 0;
  private cache = new Map<string, unknown>();
  private warnings: string[] = [];
  private readonly flushers = new WeakSet<IConstruct>();
  private tickScheduled = false;

  constructor(private readonly root: IConstruct) {}

  public open(): void {
    this.id++;
    this.cache = new Map();
    this.warnings = [];
    // cdk8s validates in pre-order: the last node of that order is the last to be validated in this synth
    const all = this.root.node.findAll();
    const last = all[all.length - 1];
    if (last !== undefined && last !== this.root && !this.flushers.has(last)) {
      this.flushers.add(last);
      last.node.addValidation({
        validate: () => {
          this.flush();
          return [];
        },
      });
    }
  }

  public memo<T>(key: string, compute: () => T): T {
    if (!this.cache.has(key)) this.cache.set(key, compute());
    return this.cache.get(key) as T;
  }

  public warn(line: string): void {
    this.warnings.push(line);
    // a synth of one chart (Testing.synth) may not reach the app's last node: flush on the next tick as well
    if (!this.tickScheduled) {
      this.tickScheduled = true;
      process.nextTick(() => {
        this.tickScheduled = false;
        this.flush();
      });
    }
  }

  private flush(): void {
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
    const created = new Pass(root);
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
