/**
 * Kubelet's `$(VAR)` expansion and container environment assembly.
 *
 * Ported from `k8s third_party/forked/golang/expansion/expand.go` (`Expand`, `tryReadVariableName`,
 * `MappingFuncFor`) and `pkg/kubelet/kubelet_pods.go` `makeEnvironmentVariables`.
 */

const OPERATOR = '$';
const OPENER = '(';
const CLOSER = ')';

/** One piece of an input string as `Expand` reads it. */
type Token = { readonly text: string } | { readonly ref: string };

/**
 * Splits `input` exactly as `Expand` walks it: literal text, and `$(NAME)` references. Adjacent literal pieces are
 * joined into one text token, and the scan is linear in the input (a `$(` without a closing `)` is searched once).
 */
function tokenize(input: string): Token[] {
  const out: Token[] = [];
  let text = '';
  const flush = (): void => {
    if (text !== '') out.push({ text });
    text = '';
  };
  let checkpoint = 0;
  let noCloser = false;
  for (let cursor = 0; cursor < input.length; cursor++) {
    if (input.charCodeAt(cursor) !== 0x24 /* $ */ || cursor + 1 >= input.length) continue;
    if (cursor > checkpoint) text += input.slice(checkpoint, cursor);
    const next = input[cursor + 1];
    let advance = 1;
    if (next === OPERATOR) {
      // `$$`: an escaped operator
      text += OPERATOR;
    } else if (next === OPENER) {
      // once no `)` follows, none follows any later `$(` either: searching again would make this quadratic
      const close = noCloser ? -1 : input.indexOf(CLOSER, cursor + 2);
      if (close < 0) {
        noCloser = true;
        // incomplete reference: `$(` is copied, scanning resumes after it
        text += OPERATOR + OPENER;
      } else {
        flush();
        out.push({ ref: input.slice(cursor + 2, close) });
        advance = close - cursor;
      }
    } else {
      // an operator that starts no expression: copied with the character after it
      text += OPERATOR + next;
    }
    cursor += advance;
    checkpoint = cursor + 1;
  }
  if (checkpoint < input.length) text += input.slice(checkpoint);
  flush();
  return out;
}

function own(vars: Readonly<Record<string, string>>, name: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(vars, name) ? vars[name] : undefined;
}

/** `Expand` with a mapping that returns `undefined` for an unknown name (which then stays verbatim). */
function expandWith(input: string, mapping: (name: string) => string | undefined): string {
  let out = '';
  for (const t of tokenize(input)) {
    out += 'text' in t ? t.text : (mapping(t.ref) ?? `${OPERATOR}${OPENER}${t.ref}${CLOSER}`);
  }
  return out;
}

/**
 * Expands `$(NAME)` references in `input` the way the kubelet does for `env[].value`, `command` and `args`.
 *
 * `$$` gives a literal `$`; `$X`, `${X}`, a trailing `$` and an unterminated `$(` are copied unchanged; a reference
 * to a name that no source defines stays verbatim (`$(NAME)`); the result is not expanded again (single pass).
 * Sources are searched in order, as `MappingFuncFor(tmpEnv, serviceEnv)` does.
 *
 * @group Helpers
 */
export function expandVariables(
  input: string,
  vars: Readonly<Record<string, string>>,
  ...moreVars: ReadonlyArray<Readonly<Record<string, string>>>
): string {
  const sources = [vars, ...moreVars];
  return expandWith(input, (name) => {
    for (const src of sources) {
      const v = own(src, name);
      if (v !== undefined) return v;
    }
    return undefined;
  });
}

/**
 * The names `input` references with `$(NAME)`, in order of first appearance, exactly as the kubelet reads them
 * (escaped `$$(NAME)` is not a reference; `$()` references the empty name).
 */
export function variableReferences(input: string): string[] {
  const seen = new Set<string>();
  for (const t of tokenize(input)) {
    if ('ref' in t) seen.add(t.ref);
  }
  return [...seen];
}

/**
 * The `$(NAME)` references of `input` that no name in `defined` resolves, in order of first appearance. The kubelet
 * leaves them in the value literally, without an error or event.
 */
export function unresolvableReferences(input: string, defined: ReadonlySet<string>): string[] {
  return variableReferences(input).filter((name) => !defined.has(name));
}

/** An `env[]` entry as `assembleContainerEnv` reads it. */
export interface EnvEntry {
  /** The variable name. */
  readonly name: string;
  /**
   * The literal value; `$(NAME)` references in it are expanded.
   *
   * @default ""
   */
  readonly value?: string;
  /**
   * The `valueFrom` source. Its result is only known on the node and is never expanded.
   *
   * @default - none
   */
  readonly valueFrom?: unknown;
}

/** What `assembleContainerEnv` puts together. */
export interface ContainerEnvInput {
  /**
   * The variables of the container's `envFrom` sources, merged in order (a later source overrides an earlier one).
   *
   * @default - none
   */
  readonly envFrom?: Readonly<Record<string, string>>;
  /**
   * The container's `env[]` entries, in order.
   *
   * @default - none
   */
  readonly env?: readonly EnvEntry[];
  /**
   * The service-link variables the kubelet injects (see `serviceLinkEnv`).
   *
   * @default - none
   */
  readonly serviceEnv?: Readonly<Record<string, string>>;
}

/** The value `assembleContainerEnv` shows for an `env[]` entry resolved from `valueFrom` on the node. */
export const VALUE_FROM_PLACEHOLDER = '<valueFrom>';

/**
 * The final environment of a container as the kubelet builds it: `envFrom` first, then each `env[]` entry in order
 * (its value expanded against the variables so far and then the service variables), then every service variable
 * whose name the container did not set. Precedence: `env` > `envFrom` > service variables. An entry resolved from
 * `valueFrom` shows as `VALUE_FROM_PLACEHOLDER`, since only the node knows its value.
 *
 * @group Helpers
 */
export function assembleContainerEnv(input: ContainerEnvInput): Record<string, string> {
  const serviceEnv = input.serviceEnv ?? {};
  const tmp = new Map<string, string>(Object.entries(input.envFrom ?? {}));
  const mapping = (name: string): string | undefined => (tmp.has(name) ? tmp.get(name) : own(serviceEnv, name));
  for (const e of input.env ?? []) {
    let value: string;
    if (e.value !== undefined && e.value !== '') {
      value = expandWith(e.value, mapping);
    } else if (e.valueFrom !== undefined) {
      value = VALUE_FROM_PLACEHOLDER;
    } else {
      value = '';
    }
    tmp.set(e.name, value);
  }
  for (const [k, v] of Object.entries(serviceEnv)) {
    if (!tmp.has(k)) tmp.set(k, v);
  }
  return Object.fromEntries(tmp);
}
