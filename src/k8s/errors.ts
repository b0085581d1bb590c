/** Where a `ManifestError` comes from, beyond its message. */
export interface ManifestErrorDetails {
  /**
   * The id of the catalogue rule broken, when there is one.
   *
   * @default - no rule: a mistake in the use of the library's API
   */
  readonly rule?: string;
  /**
   * The construct path, or the file and line, of the object concerned.
   *
   * @default - not known (a value built outside any construct)
   */
  readonly path?: string;
}

/**
 * The one error type the library throws (and collects, in constructs): the message names the subject, the field, the
 * offending value, the rule and the fix, in one sentence; `field`, `rule` and `path` carry the same as data.
 *
 * @group Values
 */
export class ManifestError extends Error {
  /** Whether `x` is a `ManifestError` (works across copies of this package). */
  public static isManifestError(x: unknown): x is ManifestError {
    return x instanceof Error && (x as unknown as { [k: symbol]: unknown })[MANIFEST_ERROR_SYMBOL] === true;
  }

  /**
   * The id of the catalogue rule broken.
   *
   * @default - no rule
   */
  public readonly rule?: string;

  /**
   * The construct path or file location of the object concerned.
   *
   * @default - not known
   */
  public readonly path?: string;

  constructor(
    message: string,
    /**
     * The field concerned, e.g. `handler` or `spec.containers[0].image`.
     *
     * @default - not known
     */
    public readonly field?: string,
    details: ManifestErrorDetails = {},
  ) {
    super(message);
    this.name = 'ManifestError';
    this.rule = details.rule;
    this.path = details.path;
    Object.defineProperty(this, MANIFEST_ERROR_SYMBOL, { value: true });
  }
}

const MANIFEST_ERROR_SYMBOL = Symbol.for('cdk8s-safe-pods.ManifestError');
