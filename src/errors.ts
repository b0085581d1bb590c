/** An argument given to a construct or factory breaks a Kubernetes rule; thrown at the call site. */
export class ManifestError extends Error {
  constructor(
    message: string,
    /** The offending field, e.g. `image`. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ManifestError';
  }
}
