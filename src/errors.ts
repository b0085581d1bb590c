/**
 * An argument-local mistake found while building a manifest: thrown by constructors and factories so the stack
 * trace points at the caller. The message names the subject, the field and value, the rule broken and the fix.
 */
export class ManifestError extends Error {
  constructor(
    message: string,
    /** The offending field, as a path from the object root (e.g. `handler`). */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ManifestError';
  }
}
