import type { IConstruct } from 'constructs';

const PASS_SYMBOL = Symbol.for('cdk8s-safe-pods.SynthPass');

/** The methods of `App` that synthesize the whole app, validating it once plus once per chart. */
const APP_SYNTH_METHODS = ['synth', 'synthYaml'] as const;

/**
 * State shared by every construct of this library during one synth: facts about the whole app (Services,
 * RuntimeClasses) computed once, what each construct judged, and the warnings to print once.
 *
 * cdk8s validates constructs in pre-order, starting at the root, so a validation registered on the root runs
 * before any of ours: it opens a new pass. Everything cached in a pass is thrown away when the next one opens,
 * so an app that changes between two synths is judged afresh.
 *
 * `App.synth()` and `App.synthYaml()` validate the whole app once, and again for every chart they write
 * (`Chart.toJson()` validates the app it belongs to). No code of the author runs between these validations, so
 * they are one pass (`inSynth`): what a construct judged in the first is what it writes, and it is judged once per
 * synth however many charts the app has. A synth of one chart (`Chart.toJson()`, `Testing.synth`) is one
 * validation, one pass.
 */
export interface SynthPass {
  /** Changes at the start of every synth, and at the end of an `App.synth()`/`synthYaml()`. */
  readonly id: number;
  /**
   * Whether an `App.synth()` or `App.synthYaml()` is running: the validations that follow, until it returns, belong
   * to this pass, and what was judged in it may be reused until then.
   */
  readonly inSynth: boolean;
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
  /** Nesting depth of `App.synth()`/`synthYaml()` calls. */
  private synthDepth = 0;
  /** Whether the running `App.synth()`/`synthYaml()` has opened its pass. */
  private openedInSynth = false;

  constructor(private readonly root: IConstruct) {}

  public get inSynth(): boolean {
    return this.synthDepth > 0;
  }

  public open(): void {
    if (this.synthDepth > 0) {
      // a later validation of the same App.synth(): the same pass
      if (this.openedInSynth) return;
      this.openedInSynth = true;
    }
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

  /** Runs one `App.synth()`/`synthYaml()`: its validations are one pass, which ends when it returns or throws. */
  public during<T>(synth: () => T): T {
    if (this.synthDepth++ === 0) this.openedInSynth = false;
    try {
      return synth();
    } finally {
      if (--this.synthDepth === 0) {
        // nothing judged in this synth is reused after it: the author may change the app before the next
        this.id++;
        this.cache = new Map();
      }
    }
  }

  public memo<T>(key: string, compute: () => T): T {
    let value = this.cache.get(key) as T | undefined;
    if (value === undefined && !this.cache.has(key)) {
      value = compute();
      this.cache.set(key, value);
    }
    return value as T;
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

/**
 * Makes every `App.synth()`/`synthYaml()` of `root` one pass: the methods are wrapped on the instance (whatever class
 * defines them), so an app subclass keeps its own synth.
 */
function wrapAppSynth(root: IConstruct, pass: Pass): void {
  for (const method of APP_SYNTH_METHODS) {
    const original = (root as unknown as Record<string, unknown>)[method];
    if (typeof original !== 'function') continue;
    Object.defineProperty(root, method, {
      value: function (this: unknown, ...args: unknown[]): unknown {
        return pass.during(() => original.apply(this, args));
      },
      enumerable: false,
      configurable: true,
      writable: true,
    });
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
    wrapAppSynth(root, created);
    pass = created;
  }
  return pass;
}
