/**
 * An argument-local mistake in a factory or constructor (a bad label key, a bad image reference): thrown at the
 * call site so the stack trace points at the caller.
 */
export class ManifestError extends Error {
  constructor(
    message: string,
    /**
     * The field concerned, when there is one.
     *
     * @default - none
     */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ManifestError';
  }
}
