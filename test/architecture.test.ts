/**
 * The floor plan of src/ (STYLE.md §3, CONTRIBUTING.md): eslint enforces it file by file (FLOORS in eslint.config.mjs);
 * this test checks the whole graph, so a folder that escapes the lint rule (a new folder not listed in FLOORS) or a
 * cycle between folders fails here.
 */
import * as fs from 'fs';
import * as path from 'path';

const SRC = path.join(__dirname, '..', 'src');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(full) : e.name.endsWith('.ts') ? [full] : [];
  });
}

/** The folder of src/ a file is in (`''` for files at the top of src/). */
function folderOf(file: string): string {
  const rel = path.relative(SRC, file).split(path.sep);
  // an import of a folder (`../defaults`) resolves to its index.ts
  const isFolder = rel.length === 1 && fs.existsSync(file) && fs.statSync(file).isDirectory();
  return rel.length > 1 || isFolder ? rel[0] : '';
}

/** Folder → the folders its files import (type-only imports included). */
function folderGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of sourceFiles(SRC)) {
    const from = folderOf(file);
    if (!graph.has(from)) graph.set(from, new Set());
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+'(\.[^']+)'/g)) {
      const to = folderOf(path.resolve(path.dirname(file), m[1]));
      if (to !== from) graph.get(from)!.add(to);
    }
  }
  return graph;
}

function floors(): string[][] {
  const text = fs.readFileSync(path.join(__dirname, '..', 'eslint.config.mjs'), 'utf8');
  const block = /const FLOORS = \[([\s\S]*?)\n\];/.exec(text);
  if (!block) throw new Error('FLOORS not found in eslint.config.mjs');
  return [...block[1].matchAll(/\[([^\]]*)\]/g)].map((m) => [...m[1].matchAll(/'([^']+)'/g)].map((x) => x[1]));
}

describe('the floor plan of src/', () => {
  const graph = folderGraph();

  test('every folder of src/ is on a floor of the lint rule', () => {
    const listed = new Set(floors().flat());
    const folders = [...graph.keys()].filter((f) => f !== '');
    expect(folders.filter((f) => !listed.has(f))).toEqual([]);
  });

  test('no folder imports the top-level entry point', () => {
    const offenders = [...graph].filter(([from, tos]) => from !== '' && tos.has('')).map(([from]) => from);
    expect(offenders).toEqual([]);
  });

  test('every import points to a lower floor', () => {
    const level = new Map(floors().flatMap((fs, i) => fs.map((f) => [f, i] as const)));
    const upward: string[] = [];
    for (const [from, tos] of graph) {
      if (from === '') continue;
      for (const to of tos) if (to !== '' && (level.get(to) ?? Infinity) >= (level.get(from) ?? -1)) upward.push(`${from} -> ${to}`);
    }
    expect(upward).toEqual([]);
  });

  test('the folder graph has no cycle', () => {
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (node: string, trail: string[]): void => {
      if (state.get(node) === 'done') return;
      if (state.get(node) === 'open') {
        cycles.push([...trail.slice(trail.indexOf(node)), node].join(' -> '));
        return;
      }
      state.set(node, 'open');
      for (const next of graph.get(node) ?? []) visit(next, [...trail, node]);
      state.set(node, 'done');
    };
    for (const node of graph.keys()) visit(node, []);
    expect(cycles).toEqual([]);
  });
});
