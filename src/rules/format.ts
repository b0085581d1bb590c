/**
 * One voice: how every entry point names an object, a location and a finding. The constructs (through cdk8s's
 * `[construct path]` prefix), the chart guard, the validation plugin and the CLI all print `formatFinding`.
 */
import type { SourceLocation } from '../k8s/shapes';
import type { Finding } from './types';

/** `Deployment "web"`, `Pod "prod/api"`: how a finding names its object. */
export function describeObject(kind: string, name: string, namespace?: string): string {
  return `${kind} ${JSON.stringify(namespace !== undefined && namespace !== '' ? `${namespace}/${name}` : name)}`;
}

/** `deploy.yaml:12:7`, `deploy.yaml:12` or `deploy.yaml (document 2)`, for messages. */
export function describeSource(source: SourceLocation): string {
  if (source.line !== undefined) return `${source.file}:${source.line}${source.column !== undefined ? `:${source.column}` : ''}`;
  return source.document !== undefined ? `${source.file} (document ${source.document + 1})` : source.file;
}

/** A finding with what it is about: the object, and where it was read from or built. */
export interface FindingSubject {
  /** `kind` of the object. */
  readonly kind: string;
  /** `metadata.name` of the object. */
  readonly name: string;
  /**
   * `metadata.namespace` of the object.
   *
   * @default - not set
   */
  readonly namespace?: string;
}

/**
 * `error image-not-pinned: Pod "prod/web": container "app": image "nginx" has no tag, ...`: the one line every entry
 * point prints for a finding (after its own location prefix: `file:line:col: ` in the CLI, `[construct path] ` in a
 * cdk8s synth).
 *
 * @group Checks
 */
export function formatFinding(f: Finding & FindingSubject): string {
  return `${f.severity} ${f.rule}: ${describeObject(f.kind, f.name, f.namespace)}: ${f.message}`;
}
