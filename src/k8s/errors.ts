/**
 * The error thrown by this library's factories and constructors for argument-local mistakes: the message names
 * the subject, the field, the offending value, the rule and the fix.
 */
export class ManifestError extends Error {
  constructor(
    message: string,
    /**
     * The field concerned, e.g. `handler` or `spec.containers[0].image`.
     *
     * @default - not known
     */
    public readonly field?: string,
  ) {
    super(message);
    this.name = 'ManifestError';
  }
}
