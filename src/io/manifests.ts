import { promises as fs } from 'fs';
import * as path from 'path';
import { isMap, isSeq, LineCounter, parseAllDocuments } from 'yaml';
import type { Document, Node } from 'yaml';
import type { LocatedObject } from '../k8s/shapes';

/** A file that cannot be read or parsed; `line`/`col` are 1-based when known. */
export class ManifestSyntaxError extends Error {
  constructor(
    public readonly file: string,
    public readonly detail: string,
    public readonly line?: number,
    public readonly col?: number,
  ) {
    super(`${file}${line !== undefined ? `:${line}${col !== undefined ? `:${col}` : ''}` : ''}: ${detail}`);
    this.name = 'ManifestSyntaxError';
  }
}

/** File name extensions read when a folder is given. */
export const MANIFEST_EXTENSIONS: readonly string[] = ['.yaml', '.yml', '.json'];

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

/** The deepest node on `keys` below `node` (the node itself when the first key is missing). */
function deepestNode(node: Node, keys: ReadonlyArray<string | number>): Node {
  let cur = node;
  for (const key of keys) {
    let next: unknown;
    if (isMap(cur)) next = cur.get(key, true);
    else if (isSeq(cur) && typeof key === 'number') next = cur.get(key, true);
    if (next === undefined || next === null || typeof next !== 'object') break;
    cur = next as Node;
  }
  return cur;
}

function lineOfNode(node: Node, lc: LineCounter): number | undefined {
  return node.range ? lc.linePos(node.range[0]).line : undefined;
}

function located(file: string, document: number, item: number | undefined, node: Node, lc: LineCounter, object: unknown): LocatedObject {
  const line = lineOfNode(node, lc);
  return {
    object,
    source: { file, document, ...(item !== undefined ? { item } : {}), ...(line !== undefined ? { line } : {}) },
    lineOf: (field) => {
      const keys = splitFieldPath(field);
      return keys ? lineOfNode(deepestNode(node, keys), lc) : undefined;
    },
  };
}

function isListObject(x: unknown): x is { kind: string; items: unknown[] } {
  if (typeof x !== 'object' || x === null) return false;
  const o = x as { kind?: unknown; items?: unknown };
  return typeof o.kind === 'string' && o.kind.endsWith('List') && Array.isArray(o.items);
}

/**
 * Parses the text of a manifest file: every YAML document (JSON is YAML), `List` objects (kind ending in `List`, with
 * `items`) and top-level arrays are expanded into their items, and empty documents are skipped. YAML 1.1 is used, as
 * cdk8s writes it and as `kubectl` reads it (`yes`/`no` are booleans). Throws `ManifestSyntaxError` (with the line) on
 * the first syntax error.
 */
export function parseManifests(text: string, file: string): LocatedObject[] {
  const lc = new LineCounter();
  const docs: Document.Parsed[] = parseAllDocuments(text, { lineCounter: lc, version: '1.1', prettyErrors: true }) as Document.Parsed[];
  if (!Array.isArray(docs)) return [];
  const out: LocatedObject[] = [];
  docs.forEach((doc, document) => {
    const err = doc.errors[0];
    if (err) {
      const pos = err.linePos?.[0];
      throw new ManifestSyntaxError(file, err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, ''), pos?.line, pos?.col);
    }
    const root = doc.contents;
    if (root === null || root === undefined) return; // empty document
    const value: unknown = doc.toJS({ maxAliasCount: 1000 });
    if (value === null || value === undefined) return;
    if (isListObject(value) || Array.isArray(value)) {
      const items = Array.isArray(value) ? value : value.items;
      const seq = isSeq(root) ? root : isMap(root) ? root.get('items', true) : undefined;
      items.forEach((object, item) => {
        const node = isSeq(seq) ? (seq.items[item] as Node | undefined) : undefined;
        out.push(located(file, document, item, node ?? root, lc, object));
      });
      return;
    }
    out.push(located(file, document, undefined, root, lc, value));
  });
  return out;
}

/**
 * The manifest files under the given paths: a file is taken as is, a folder is walked recursively for `*.yaml`,
 * `*.yml` and `*.json` (sorted, hidden entries and `node_modules` skipped). Throws `ManifestSyntaxError` for a path
 * that does not exist or a folder without manifests.
 */
export async function manifestFiles(paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    let stat;
    try {
      stat = await fs.stat(p);
    } catch (e) {
      throw new ManifestSyntaxError(p, `cannot read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    }
    if (!stat.isDirectory()) {
      out.push(p);
      continue;
    }
    const found = await walk(p);
    if (found.length === 0) throw new ManifestSyntaxError(p, `folder contains no ${MANIFEST_EXTENSIONS.map((e) => `*${e}`).join(', ')} files`);
    out.push(...found);
  }
  return out;
}

async function walk(dir: string): Promise<string[]> {
  const entries = (await fs.readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: string[] = [];
  for (const e of entries) {
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(full)));
    else if (e.isFile() && MANIFEST_EXTENSIONS.includes(path.extname(e.name).toLowerCase())) out.push(full);
  }
  return out;
}

/** Reads and parses one manifest file; throws `ManifestSyntaxError` when it cannot be read or parsed. */
export async function readManifestFile(file: string): Promise<LocatedObject[]> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    throw new ManifestSyntaxError(file, `cannot read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  return parseManifests(text, file);
}
