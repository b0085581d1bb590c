/**
 * Where a field of a document is: line, column and, for a plain scalar, its raw text. Computed only when asked (for a
 * finding), by loading that one document again with `js-yaml` and a listener that records where every node starts
 * (`NodeIndex`). In the rare document whose node events do not line up with its data (a flow sequence of single-pair
 * mappings, an explicit key without a value), the document is parsed with `yaml`, which keeps source ranges
 * (`YamlIndex`), instead.
 */
import { load } from 'js-yaml';
import type { State } from 'js-yaml';
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Document, Node, Pair } from 'yaml';
import type { SourcePosition } from '../k8s/shapes';
import { KUBERNETES_SCHEMA, MERGE_KEY, resolvePlainTagged } from './resolve';

/**
 * Splits a field path such as `spec.containers[0].image` or `metadata.annotations["a.b/c"]` into keys and indexes.
 * Returns undefined when the path is not of that form.
 */
export function splitFieldPath(field: string): Array<string | number> | undefined {
  const out: Array<string | number> = [];
  if (field.startsWith('.')) return undefined;
  const re = /(?:^|\.)([^.[\]"]+)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/y;
  let pos = 0;
  while (pos < field.length) {
    re.lastIndex = pos;
    const m = re.exec(field);
    if (!m) return undefined;
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(Number(m[2]));
    else out.push(JSON.parse(m[3]) as string);
    pos = re.lastIndex;
  }
  return out;
}

/** Keys and indexes from a document's root. */
export type NodePath = ReadonlyArray<string | number>;

/** Line starts of a text, for offset → line and column. */
class Lines {
  private readonly starts: number[] = [0];
  constructor(text: string) {
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', nl + 1)) this.starts.push(nl + 1);
  }

  /** Line and column (from 1) of an offset. */
  public at(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo] + 1 };
  }
}

/** One node as js-yaml composed it: where its text starts and ends, what it became, and the nodes inside it. */
interface NodeRecord {
  readonly open: number;
  close: number;
  result: unknown;
  readonly children: NodeRecord[];
}

const isSpace = (c: number): boolean => c === 0x20 || c === 0x09;
const isBreak = (c: number): boolean => c === 0x0a || c === 0x0d;

/** The positions of a document's nodes, from one more `js-yaml` load with a listener. */
class NodeIndex {
  private readonly root: NodeRecord | undefined;
  private readonly anchors = new Map<object, NodeRecord>();
  private readonly lines: Lines;

  constructor(private readonly text: string) {
    this.lines = new Lines(text);
    const top: NodeRecord = { open: 0, close: 0, result: undefined, children: [] };
    const stack: NodeRecord[] = [top];
    const listener = (event: string, state: State): void => {
      if (event === 'open') {
        const record: NodeRecord = { open: state.position, close: -1, result: undefined, children: [] };
        stack[stack.length - 1].children.push(record);
        stack.push(record);
      } else {
        const record = stack.pop()!;
        record.close = state.position;
        record.result = state.result;
        const r: unknown = state.result;
        if (typeof r === 'object' && r !== null && !this.anchors.has(r) && record.children.length > 0) this.anchors.set(r, record);
      }
    };
    load(text, { schema: KUBERNETES_SCHEMA, listener });
    this.root = top.children[0];
  }

  /** The record of the node an alias names (itself when it is not an alias). */
  private target(record: NodeRecord): NodeRecord {
    const r = record.result;
    return record.children.length === 0 && typeof r === 'object' && r !== null ? (this.anchors.get(r) ?? record) : record;
  }

  /** The value record of `key` in a mapping record, looking into `<<` merges; false when the records do not line up. */
  private mapValue(map: NodeRecord, key: string, seen: Set<NodeRecord>): NodeRecord | undefined | false {
    if (seen.has(map)) return undefined;
    seen.add(map);
    const c = map.children;
    if (c.length % 2 !== 0) return false;
    for (let i = c.length - 2; i >= 0; i -= 2) {
      if (c[i].result !== MERGE_KEY && String(c[i].result) === key) return c[i + 1];
    }
    for (let i = 0; i < c.length; i += 2) {
      if (c[i].result !== MERGE_KEY) continue;
      const source = this.target(c[i + 1]);
      const sources = Array.isArray(source.result) ? source.children.map((x) => this.target(x)) : [source];
      for (const s of sources) {
        const found = this.mapValue(s, key, seen);
        if (found !== undefined) return found;
      }
    }
    return undefined;
  }

  /**
   * Offset of the first character of a node's content: after spaces, comments, line breaks and properties. An empty
   * node is where it would have been, on the line of its key.
   */
  private start(record: NodeRecord): { offset: number; tagged: boolean; empty: boolean } {
    const t = this.text;
    let i = record.open;
    while (i < t.length && isSpace(t.charCodeAt(i))) i++;
    const sameLine = i;
    let tagged = false;
    for (;;) {
      while (i < t.length && (isSpace(t.charCodeAt(i)) || isBreak(t.charCodeAt(i)))) i++;
      const c = t.charCodeAt(i);
      if (c === 0x23 /* # */) {
        while (i < t.length && !isBreak(t.charCodeAt(i))) i++;
      } else if ((c === 0x26 /* & */ || c === 0x21) /* ! */ && i < record.close) {
        if (c === 0x21) tagged = true;
        while (i < t.length && !isSpace(t.charCodeAt(i)) && !isBreak(t.charCodeAt(i))) i++;
      } else break;
    }
    const empty = i >= record.close;
    return { offset: empty ? sameLine : i, tagged, empty };
  }

  /** The position of the node at `path`, or of its deepest existing parent; false when the records do not line up. */
  public locate(path: NodePath): SourcePosition | undefined | false {
    if (!this.root) return undefined;
    let at = this.root;
    let found = true;
    for (const key of path) {
      const cur = this.target(at);
      const r = cur.result;
      let next: NodeRecord | undefined;
      if (Array.isArray(r)) {
        if (cur.children.length !== r.length) return false;
        next = typeof key === 'number' ? cur.children[key] : undefined;
      } else if (typeof r === 'object' && r !== null) {
        const v = this.mapValue(cur, String(key), new Set());
        if (v === false) return false;
        next = v;
      }
      if (!next) {
        found = false;
        break;
      }
      at = next;
    }
    const { offset, tagged } = this.start(at);
    const pos = this.lines.at(offset);
    const target = this.target(at);
    const r = target.result;
    let plain: string | undefined;
    if (found && !tagged && (typeof r !== 'object' || r === null)) {
      const s = this.start(target);
      const c = this.text[s.offset];
      if (!s.tagged && !s.empty && c !== '"' && c !== "'" && c !== '|' && c !== '>' && c !== '*') {
        const raw = this.text.slice(s.offset, Math.max(s.offset, target.close)).replace(/[ \t]+#.*$/gm, '');
        plain = raw.trim().replace(/\s*\n\s*/g, ' ');
      }
    }
    return { line: pos.line, column: pos.column, ...(plain !== undefined ? { plain } : {}) };
  }
}

const CORE_TAGS = new Set(['tag:yaml.org,2002:null', 'tag:yaml.org,2002:bool', 'tag:yaml.org,2002:int', 'tag:yaml.org,2002:float']);

/** The JSON key a key node becomes, as the reader (js-yaml with the Kubernetes schema) makes it. */
function keyText(key: unknown, doc: Document.Parsed): string | undefined {
  const node = isAlias(key) ? key.resolve(doc) : key;
  if (!isScalar(node)) return undefined;
  const text = node.value === null || node.value === undefined ? '' : String(node.value);
  const resolvable = node.tag === undefined ? node.type === 'PLAIN' : CORE_TAGS.has(node.tag);
  if (!resolvable) return text;
  const r = resolvePlainTagged(text);
  return r.tag === 'merge' ? MERGE_KEY : String(r.value);
}

function isMergeKey(key: unknown, doc: Document.Parsed): boolean {
  return isScalar(key) && key.type === 'PLAIN' && key.tag === undefined && keyText(key, doc) === MERGE_KEY;
}

/** The value node of `key` in a map node, looking into `<<` merges when the map has no such key itself. */
function mapValue(map: Node, key: string, doc: Document.Parsed, seen: Set<Node>): Node | undefined {
  if (!isMap(map) || seen.has(map)) return undefined;
  seen.add(map);
  const pairs = map.items as Array<Pair<unknown, unknown>>;
  for (let i = pairs.length - 1; i >= 0; i--) {
    if (!isMergeKey(pairs[i].key, doc) && keyText(pairs[i].key, doc) === key) return (pairs[i].value ?? undefined) as Node | undefined;
  }
  for (const pair of pairs) {
    if (!isMergeKey(pair.key, doc)) continue;
    const value = pair.value as Node | null;
    const sources = isSeq(value) ? (value.items as Node[]) : value ? [value] : [];
    for (const s of sources) {
      const found = mapValue(resolved(s, doc), key, doc, seen);
      if (found) return found;
    }
  }
  return undefined;
}

function resolved(node: Node, doc: Document.Parsed): Node {
  let cur: Node = node;
  for (let i = 0; i < 100 && isAlias(cur); i++) {
    const next = cur.resolve(doc);
    if (!next) break;
    cur = next;
  }
  return cur;
}

/** The positions of a document's nodes from a `yaml` parse, which keeps every node's source range. */
class YamlIndex {
  private readonly doc: Document.Parsed;
  private readonly lines = new LineCounter();

  constructor(text: string) {
    this.doc = parseDocument(text, { lineCounter: this.lines, schema: 'failsafe', uniqueKeys: false, logLevel: 'silent', prettyErrors: false });
  }

  /** The position of the node at `path`, or of its deepest existing parent. */
  public locate(path: NodePath): SourcePosition | undefined {
    const doc = this.doc;
    let node = doc.contents as Node | null;
    if (!node) return undefined;
    let found = true;
    for (const key of path) {
      const cur = resolved(node, doc);
      let next: Node | undefined;
      if (isMap(cur)) next = mapValue(cur, String(key), doc, new Set());
      else if (isSeq(cur) && typeof key === 'number') next = (cur.items[key] as Node | undefined) ?? undefined;
      if (!next) {
        found = false;
        break;
      }
      node = next;
    }
    const range = node.range;
    if (!range) return undefined;
    const pos = this.lines.linePos(range[0]);
    const target = resolved(node, doc);
    const plain = found && isScalar(target) && target.type === 'PLAIN' && target.tag === undefined ? String(target.value ?? '') : undefined;
    return { line: pos.line, column: pos.col, ...(plain !== undefined ? { plain } : {}) };
  }
}

/** The document indexed last: findings come object by object, so one document at a time is enough. */
let indexed: { key: object; index?: NodeIndex; fallback?: YamlIndex } | undefined;

/**
 * The position of the node at `path` (keys and indexes from the document's root) in a document, or of its deepest
 * existing parent; `plain` is set when the node itself exists and is a plain scalar. The document is indexed on first
 * use and kept until another document (another `key`) is asked about.
 *
 * @param key identifies the document
 * @param text the document's text (what follows its `---` line, up to the next)
 * @param firstLine line (from 1) of the first line of `text` in the file
 */
export function locateInDocument(key: object, text: () => string, firstLine: number, path: NodePath): SourcePosition | undefined {
  if (indexed?.key !== key) indexed = { key };
  const cache = indexed;
  let at: SourcePosition | undefined | false;
  try {
    cache.index ??= new NodeIndex(text());
    at = cache.index.locate(path);
  } catch {
    at = false; // cannot happen for a document that loaded, but positions are never worth an error
  }
  if (at === false) {
    cache.fallback ??= new YamlIndex(text());
    at = cache.fallback.locate(path);
  }
  return at && { ...at, line: at.line + firstLine - 1 };
}
