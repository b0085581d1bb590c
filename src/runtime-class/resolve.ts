/**
 * Resolving a RuntimeClass reference (`IRuntimeClass` or a name string) to the `spec.runtimeClassName` to write,
 * against the classes an app is known to define.
 */
import type { RuntimeClassFacts } from '../k8s/shapes';
import { validateRuntimeClassName } from './validation';

/** A RuntimeClass a pod can refer to: one defined in the app (`RuntimeClass`) or provided by the cluster. */
export interface IRuntimeClass {
  /** `metadata.name` of the RuntimeClass: the value of `spec.runtimeClassName`. */
  readonly name: string;
  /**
   * What is known about the class. A class provided by the cluster (`RuntimeClass.fromName`) knows only its name,
   * unless facts were given; facts without a `handler` mean the spec of the class is unknown.
   */
  facts(): RuntimeClassFacts;
}

/** The outcome of resolving a reference: a name, or why there is none. */
export interface RuntimeClassResolution {
  /**
   * The name to write to `spec.runtimeClassName`.
   *
   * @default - unresolved (see `error`)
   */
  readonly name?: string;
  /**
   * One sentence saying why the reference is wrong and how to fix it.
   *
   * @default - resolved
   */
  readonly error?: string;
}

const list = (names: Iterable<string>): string => {
  const all = [...names].sort();
  return all.length === 0 ? 'none' : all.map((n) => JSON.stringify(n)).join(', ');
};

/** The classes whose `handler` is `value` (the usual mix-up: a handler where the class name belongs). */
export function classesWithHandler(value: string, known: ReadonlyMap<string, RuntimeClassFacts>): RuntimeClassFacts[] {
  return [...known.values()].filter((f) => f.handler === value && f.name !== value);
}

/** `s` without leading and trailing characters other than a-z and 0-9 (a linear scan: a regex anchored at the end is quadratic). */
function trimToAlphanumeric(s: string): string {
  const alnum = (c: number): boolean => (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39);
  let start = 0;
  let end = s.length;
  while (start < end && !alnum(s.charCodeAt(start))) start++;
  while (end > start && !alnum(s.charCodeAt(end - 1))) end--;
  return s.slice(start, end);
}

/** The message for a name that is not a valid `spec.runtimeClassName` (empty, upper case, ...), or `undefined`. */
export function invalidRuntimeClassNameMessage(subject: string, name: string): string | undefined {
  if (name === '') {
    return `${subject} "" is not a RuntimeClass name and the API server rejects an empty spec.runtimeClassName; omit it to use the node's default runtime handler`;
  }
  const errs = validateRuntimeClassName(name);
  if (errs.length === 0) return undefined;
  const suggestion = trimToAlphanumeric(name.toLowerCase().replace(/[^a-z0-9.-]/g, '-'));
  const eg = suggestion && validateRuntimeClassName(suggestion).length === 0 ? `, e.g. ${JSON.stringify(suggestion)}` : '';
  return `${subject} ${JSON.stringify(name)} is not a valid RuntimeClass name (a lowercase RFC 1123 subdomain: ${errs[0].replace(/ \(e\.g\..*$/, '')}); use the metadata.name of a RuntimeClass${eg}`;
}

/**
 * The message for a name that no known class has: the known classes, the consequence, and the handler mix-up when the
 * name is the handler of a known class.
 */
export function unknownRuntimeClassMessage(
  subject: string,
  name: string,
  known: ReadonlyMap<string, RuntimeClassFacts>,
  consequence = 'the API server would reject its Pods',
): string {
  const byHandler = classesWithHandler(name, known);
  const head =
    `${subject} ${JSON.stringify(name)} names no known RuntimeClass (known: ${list(known.keys())}), ` +
    `so ${consequence} ('pod rejected: RuntimeClass ${JSON.stringify(name)} not found')`;
  if (byHandler.length > 0) {
    const rc = byHandler[0];
    return `${head}; ${JSON.stringify(name)} is the handler of RuntimeClass ${JSON.stringify(rc.name)}; name the class, ${JSON.stringify(rc.name)}, not its handler`;
  }
  return `${head}; define it (new RuntimeClass(...) in cdk8s, or a RuntimeClass manifest), or declare a class the cluster provides (RuntimeClass.fromName(${JSON.stringify(name)}) in cdk8s, --runtime-class ${name} for the CLI)`;
}

function toMap(known: ReadonlyMap<string, RuntimeClassFacts> | Iterable<RuntimeClassFacts>): ReadonlyMap<string, RuntimeClassFacts> {
  if (known instanceof Map) return known as ReadonlyMap<string, RuntimeClassFacts>;
  return new Map([...(known as Iterable<RuntimeClassFacts>)].map((f) => [f.name, f]));
}

/**
 * Resolves what a pod names as its RuntimeClass. An `IRuntimeClass` resolves to its name. A string must be a valid
 * name (never `""`) and, when `known` is given, the name of a known class; otherwise the error lists the known
 * classes and says when the string is the handler of one of them.
 */
export function resolveRuntimeClass(
  ref: IRuntimeClass | string,
  known?: ReadonlyMap<string, RuntimeClassFacts> | Iterable<RuntimeClassFacts>,
): RuntimeClassResolution {
  if (typeof ref !== 'string') return { name: ref.name };
  const invalid = invalidRuntimeClassNameMessage('runtimeClass', ref);
  if (invalid) return { error: invalid };
  if (known === undefined) return { name: ref };
  const map = toMap(known);
  if (map.has(ref)) return { name: ref };
  return { error: unknownRuntimeClassMessage('runtimeClass', ref, map) };
}
