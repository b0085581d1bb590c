/**
 * Reading Kubernetes manifests as Kubernetes reads them, fast: the stream is split into documents at `---` lines
 * (split.ts), each document is loaded with `js-yaml` and go-yaml v2's scalar rules (resolve.ts), and positions are
 * computed only for the documents that have findings (positions.ts). Problems are data (`InputError`), one per file or
 * per document: the other documents and files are still read.
 */
import { getHeapStatistics } from 'v8';
import { load, YAMLException } from 'js-yaml';
import { READ_LIMITS } from '../defaults/limits';
import type { ReadLimits } from '../defaults/limits';
import type { LocatedObject, SourceLocation, SourcePosition } from '../k8s/shapes';
import { decodeManifest } from './decode';
import { locateInDocument, splitFieldPath } from './positions';
import { KUBERNETES_SCHEMA } from './resolve';
import { splitDocuments } from './split';
import type { DocumentSpan } from './split';

export { splitFieldPath } from './positions';

/** A problem with the input itself: a file that cannot be read, decoded or parsed, or a document Kubernetes refuses. */
export interface InputError {
  /** The file as given (or found in a folder), `<stdin>` for standard input. */
  readonly file: string;
  /**
   * Line (from 1).
   *
   * @default - the problem concerns the whole file
   */
  readonly line?: number;
  /**
   * Column (from 1).
   *
   * @default - the problem concerns the whole line or file
   */
  readonly column?: number;
  /** What is wrong, one sentence. */
  readonly message: string;
}

/** A file that cannot be read or parsed, as an exception (`file:line:column: message`). */
export class ManifestSyntaxError extends Error {
  constructor(public readonly errors: readonly InputError[]) {
    super(errors.map((e) => formatInputError(e)).join('\n'));
    this.name = 'ManifestSyntaxError';
  }
}

/** C0 and C1 controls, DEL, line and paragraph separators, bidirectional overrides and isolates. */
function isUnprintable(c: number): boolean {
  return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0x2028 || c === 0x2029 || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

/**
 * A file name as it can be printed on a terminal: unchanged when it has only printable characters, else quoted as a
 * JSON string with every unprintable character escaped (so a newline, an escape code or a bidirectional override in
 * a name cannot forge, colour or reorder output lines).
 */
export function printableFileName(file: string): string {
  let unprintable = false;
  for (let i = 0; i < file.length && !unprintable; i++) unprintable = isUnprintable(file.charCodeAt(i));
  if (!unprintable) return file;
  let out = '';
  for (const ch of JSON.stringify(file)) {
    const c = ch.charCodeAt(0);
    out += isUnprintable(c) ? `\\u${c.toString(16).padStart(4, '0')}` : ch;
  }
  return out;
}

/** `file:line:column: message`, the file name printable. */
export function formatInputError(e: InputError): string {
  const at = e.line !== undefined ? `:${e.line}${e.column !== undefined ? `:${e.column}` : ''}` : '';
  return `${printableFileName(e.file)}${at}: ${e.message}`;
}

/** What reading one file gave: the objects, the problems, and how many documents there were. */
export interface ManifestRead {
  /** The objects, with `List` items and top-level arrays expanded, empty documents skipped. */
  readonly objects: LocatedObject[];
  /** Everything that could not be read; the rest of the file was read. */
  readonly errors: InputError[];
}

/** Limits of one read; every field defaults to `READ_LIMITS`. */
export interface ReadOptions extends Partial<ReadLimits> {
  /**
   * Objects read before this file in the same run: the heap they will need for checking counts against the limit.
   *
   * @default 0
   */
  readonly objectsBefore?: number;
}

/** One document of a file: where its text is, for computing positions when a finding needs them. */
class DocumentText {
  constructor(
    private readonly fileText: string,
    private readonly start: number,
    private readonly end: number,
    private readonly firstLine: number,
  ) {}

  public locate(path: ReadonlyArray<string | number>): SourcePosition | undefined {
    return locateInDocument(this, () => this.fileText.slice(this.start, this.end), this.firstLine, path);
  }
}

const ROOT: ReadonlyArray<string | number> = Object.freeze([]);

/** Where an item of a `List` (or of a top-level array) is: its line is computed on first use. */
class ItemSource implements SourceLocation {
  // private (#) so that spreading a source copies only its public fields
  #computed?: { line?: number; column?: number };
  readonly #text: DocumentText;
  readonly #root: ReadonlyArray<string | number>;

  constructor(
    public readonly file: string,
    public readonly document: number,
    public readonly item: number,
    text: DocumentText,
    root: ReadonlyArray<string | number>,
  ) {
    this.#text = text;
    this.#root = root;
  }

  #position(): { line?: number; column?: number } {
    this.#computed ??= this.#text.locate(this.#root) ?? {};
    return this.#computed;
  }

  public get line(): number | undefined {
    return this.#position().line;
  }

  public get column(): number | undefined {
    return this.#position().column;
  }
}

/** An object read from a document. */
class ReadObject implements LocatedObject {
  readonly #text: DocumentText;
  readonly #root: ReadonlyArray<string | number>;

  constructor(
    public readonly object: unknown,
    public readonly source: SourceLocation,
    text: DocumentText,
    root: ReadonlyArray<string | number>,
  ) {
    this.#text = text;
    this.#root = root;
  }

  public locate(field: string): SourcePosition | undefined {
    const keys = splitFieldPath(field);
    return keys ? this.#text.locate([...this.#root, ...keys]) : undefined;
  }
}

function isListObject(x: unknown): x is { kind: string; items: unknown[] } {
  if (typeof x !== 'object' || x === null) return false;
  const o = x as { kind?: unknown; items?: unknown };
  return typeof o.kind === 'string' && o.kind.endsWith('List') && Array.isArray(o.items);
}

// ---- what a document may not contain ------------------------------------------------------------------------

/** go-yaml v2 decode.go `allowedAliasRatio`: the share of decoded nodes that may come from alias expansion. */
function allowedAliasRatio(decodes: number): number {
  if (decodes <= 400_000) return 0.99;
  if (decodes >= 4_000_000) return 0.1;
  return 0.99 - 0.89 * ((decodes - 400_000) / 3_600_000);
}

/** A document Kubernetes would refuse, and the path of the node where that shows. */
interface Refusal {
  readonly message: string;
  readonly path: Array<string | number>;
}

interface Frame {
  readonly value: object;
  readonly keys: string[] | undefined;
  readonly key: string | number | undefined;
  index: number;
  size: number;
}

/**
 * Checks a loaded document for what kubectl refuses and what would make reading it unbounded: nesting deeper than
 * `maxDepth`, an alias inside its own anchor (go-yaml: "anchor value contains itself"), alias expansion beyond
 * go-yaml v2's ratio ("document contains excessive aliasing", decode.go `unmarshal`), and `.inf`/`.nan`, which
 * `sigs.k8s.io/yaml` cannot convert to JSON. Linear in the document's nodes: an alias is counted by the size of what it
 * names, not walked again. `text` is the document's source: without a `&` it has no anchor, so nothing is shared
 * and only depth and numbers need looking at.
 */
function refusalOf(root: unknown, text: string, maxDepth: number): Refusal | undefined {
  const nonFinite = (v: unknown): boolean => typeof v === 'number' && !Number.isFinite(v);
  if (typeof root !== 'object' || root === null) return nonFinite(root) ? { message: NON_FINITE, path: [] } : undefined;
  const hasAnchors = text.includes('&');
  const hasSpecialFloats = /\.(?:inf|nan)\b/i.test(text);
  if (!hasAnchors) return shallowRefusal(root, 1, maxDepth, hasSpecialFloats);
  return aliasAwareRefusal(root, maxDepth);
}

function depthMessage(maxDepth: number): string {
  return `collections are nested more than ${maxDepth} levels deep (raise the limit with --max-depth)`;
}

/**
 * Depth and (when `numbers`) non-finite numbers of a tree without shared nodes. Recursion is bounded by `maxDepth`.
 */
function shallowRefusal(value: object, depth: number, maxDepth: number, numbers: boolean): Refusal | undefined {
  const visit = (key: string | number, v: unknown): Refusal | undefined => {
    if (typeof v === 'object' && v !== null) {
      if (depth + 1 > maxDepth) return { message: depthMessage(maxDepth), path: [key] };
      const inner = shallowRefusal(v, depth + 1, maxDepth, numbers);
      return inner && { message: inner.message, path: [key, ...inner.path] };
    }
    return numbers && typeof v === 'number' && !Number.isFinite(v) ? { message: NON_FINITE, path: [key] } : undefined;
  };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (typeof v !== 'object' && !numbers) continue;
      const r = visit(i, v);
      if (r) return r;
    }
    return undefined;
  }
  for (const key in value) {
    if (key === OBJECT_KEY) return { message: OBJECT_KEY_MESSAGE, path: [] };
    const v: unknown = (value as Record<string, unknown>)[key];
    if (typeof v !== 'object' && !numbers) continue;
    const r = visit(key, v);
    if (r) return r;
  }
  return undefined;
}

/** `refusalOf` for a document with anchors: aliases share nodes, so every node is counted as go-yaml would. */
function aliasAwareRefusal(root: object, maxDepth: number): Refusal | undefined {
  const sizes = new Map<object, number>(); // nodes go-yaml decodes for a collection, aliases expanded
  const open = new Set<object>();
  let decodes = 1;
  let aliased = 0;
  const stack: Frame[] = [{ value: root, keys: Array.isArray(root) ? undefined : Object.keys(root), key: undefined, index: 0, size: 1 }];
  open.add(root);
  const pathTo = (key: string | number): Array<string | number> => [...stack.slice(1).map((f) => f.key!), key];
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    const length = top.keys ? top.keys.length : (top.value as unknown[]).length;
    if (top.index >= length) {
      stack.pop();
      open.delete(top.value);
      sizes.set(top.value, top.size);
      if (stack.length > 0) stack[stack.length - 1].size += top.size;
      continue;
    }
    const key = top.keys ? top.keys[top.index] : top.index;
    top.index++;
    if (key === OBJECT_KEY) return { message: OBJECT_KEY_MESSAGE, path: pathTo(key).slice(0, -1) };
    if (top.keys) {
      top.size++; // go-yaml decodes the key too
      decodes++;
    }
    const v = (top.value as Record<string | number, unknown>)[key];
    if (typeof v !== 'object' || v === null) {
      top.size++;
      decodes++;
      if (typeof v === 'number' && !Number.isFinite(v)) return { message: NON_FINITE, path: pathTo(key) };
      continue;
    }
    const known = sizes.get(v);
    if (known !== undefined) {
      // an alias: go-yaml decodes what it names once more
      top.size += 1 + known;
      decodes += 1 + known;
      aliased += known;
      if (aliased > 100 && decodes > 1000 && aliased / decodes > allowedAliasRatio(decodes)) {
        const count = decodes > 1e9 ? decodes.toExponential(1) : String(decodes);
        return {
          message: `aliases expand to ${count} nodes, ${Math.round((100 * aliased) / decodes)}% of them from aliases: kubectl refuses it (go-yaml: "document contains excessive aliasing")`,
          path: pathTo(key),
        };
      }
      continue;
    }
    if (open.has(v))
      return {
        message: 'an alias refers to a node that contains it: kubectl refuses it (go-yaml: "anchor value contains itself")',
        path: pathTo(key),
      };
    if (stack.length + 1 > maxDepth) return { message: depthMessage(maxDepth), path: pathTo(key) };
    decodes++;
    open.add(v);
    stack.push({ value: v, keys: Array.isArray(v) ? undefined : Object.keys(v), key, index: 0, size: 1 });
  }
  return undefined;
}

/** The key js-yaml makes of a mapping used as a key. */
const OBJECT_KEY = '[object Object]';

const OBJECT_KEY_MESSAGE =
  'a mapping is used as a key: kubectl refuses it (go-yaml: "invalid map key"); is this an unrendered template, such as {{ .Values.name }}?';

const NON_FINITE = '.inf and .nan have no JSON form: kubectl refuses the document ("json: unsupported value"); quote the value if it is text';

/**
 * Whether the heap, plus `reserveBytes` still to be needed, is fuller than `fraction` of its limit (then reading stops
 * with an error instead of Node aborting out of memory later).
 */
export function heapExhausted(fraction: number, reserveBytes = 0): boolean {
  const { used_heap_size, heap_size_limit } = getHeapStatistics();
  return used_heap_size + reserveBytes > fraction * heap_size_limit;
}

const HEAP_CHECK_EVERY = 2000;

/**
 * Reads the text of a manifest file: every YAML document (JSON is YAML), `List` objects (kind ending in `List`, with
 * `items`) and top-level arrays expanded into their items, empty documents skipped. Scalars are read as Kubernetes
 * reads them (go-yaml v2, YAML 1.1: `yes` is `true`, `0755` is 493; docs/yaml.md). A document that cannot be parsed,
 * or that kubectl would refuse, is an error with its line and column, and the other documents are still read.
 */
export function readManifestText(text: string, file: string, options: ReadOptions = {}): ManifestRead {
  const maxDepth = options.maxDepth ?? READ_LIMITS.maxDepth;
  const maxHeapFraction = options.maxHeapFraction ?? READ_LIMITS.maxHeapFraction;
  const reservePerObject = options.heapReservePerObject ?? READ_LIMITS.heapReservePerObject;
  const objectsBefore = options.objectsBefore ?? 0;
  const { documents, problems } = splitDocuments(text);
  const objects: LocatedObject[] = [];
  const errors: InputError[] = problems.map((p) => ({ file, ...p }));
  let sinceHeapCheck = 0;
  for (const span of documents) {
    if (span.contentLine === undefined) continue; // blank lines and comments only
    if (++sinceHeapCheck >= HEAP_CHECK_EVERY) {
      sinceHeapCheck = 0;
      if (heapExhausted(maxHeapFraction, (objectsBefore + objects.length) * reservePerObject)) {
        errors.push({ file, line: span.line, message: HEAP_MESSAGE });
        break;
      }
    }
    const source = text.slice(span.start, span.end);
    let value: unknown;
    try {
      value = load(source, { schema: KUBERNETES_SCHEMA });
    } catch (e) {
      errors.push(loadError(e, file, span, source, maxDepth));
      continue;
    }
    if (value === null || value === undefined) continue;
    const doc = new DocumentText(text, span.start, span.end, span.line);
    const refusal = refusalOf(value, source, maxDepth);
    if (refusal) {
      const at = doc.locate(refusal.path);
      errors.push({ file, ...(at ? { line: at.line, column: at.column } : { line: span.contentLine }), message: refusal.message });
      continue;
    }
    if (Array.isArray(value) || isListObject(value)) {
      const isArray = Array.isArray(value);
      const items: unknown[] = Array.isArray(value) ? value : value.items;
      items.forEach((object, item) => {
        const root = isArray ? [item] : ['items', item];
        objects.push(new ReadObject(object, new ItemSource(file, span.index, item, doc, root), doc, root));
      });
      continue;
    }
    objects.push(new ReadObject(value, { file, document: span.index, line: span.contentLine }, doc, ROOT));
  }
  return { objects, errors };
}

/** The message when the heap is nearly full. */
export const HEAP_MESSAGE =
  'stopped reading: the objects read so far, and checking them, would fill the JavaScript heap; they are checked, the rest is not: check fewer files at once, or give Node more memory (NODE_OPTIONS=--max-old-space-size=<MiB>)';

function loadError(e: unknown, file: string, span: DocumentSpan, source: string, maxDepth: number): InputError {
  if (e instanceof YAMLException) {
    const mark = (e as YAMLException & { mark?: { line: number; column: number; position: number } }).mark;
    let message = e.reason || e.message.split('\n')[0];
    if (message === 'duplicated mapping key' && mark) {
      const key = /^\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^']|'')*)'|([^\n]*?))\s*:(?:\s|$)/.exec(source.slice(mark.position, mark.position + 300));
      const name = key ? (key[1] ?? key[2] ?? key[3]) : undefined;
      message = `duplicated key${name ? ` ${JSON.stringify(name)}` : ''}: kubectl refuses duplicate fields (--validate=strict, its default) and otherwise keeps only the last; keep one`;
    }
    return { file, ...(mark ? { line: span.line + mark.line, column: mark.column + 1 } : { line: span.contentLine }), message };
  }
  if (e instanceof RangeError) {
    // js-yaml recurses once per level: only absurd nesting overflows the stack
    return { file, line: span.contentLine, message: `collections are nested too deeply to read (the limit is ${maxDepth} levels)` };
  }
  throw e;
}

/**
 * Reads the bytes of a manifest file: decoded as kubectl decodes them (UTF-8 with or without a byte order mark,
 * UTF-16 with one; anything else is an error), then read with `readManifestText`.
 */
export function readManifestBytes(bytes: Uint8Array, file: string, options: ReadOptions = {}): ManifestRead {
  const maxBytes = options.maxFileBytes ?? READ_LIMITS.maxFileBytes;
  if (bytes.length > maxBytes) return { objects: [], errors: [{ file, message: tooLarge(bytes.length, maxBytes) }] };
  const decoded = decodeManifest(bytes);
  if ('error' in decoded) return { objects: [], errors: [{ file, line: decoded.line, column: decoded.column, message: decoded.error }] };
  return readManifestText(decoded.text, file, options);
}

/** The message for input larger than the limit (`size` when known). */
export function tooLarge(size: number | undefined, maxBytes: number): string {
  const limit = maxBytes % 2 ** 20 === 0 ? `${maxBytes / 2 ** 20} MiB` : maxBytes % 1024 === 0 ? `${maxBytes / 1024} KiB` : `${maxBytes} bytes`;
  return `${size === undefined ? 'is' : `is ${size} bytes,`} more than the limit of ${limit}; raise it with --max-file-size if this input is expected`;
}
