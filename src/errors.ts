/**
 * An argument that Kubernetes would refuse, reported where it is given (factory or constructor) with the
 * field it concerns.
 */
export class ManifestError extends Error {
  constructor(
    message: string,
    /** The field concerned, e.g. `lifecycle.preStop.httpGet.port`. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ManifestError';
  }
}
