/**
 * Transpiles `src/` with swc into a folder (CommonJS, ES2022): the CLI as `node <out>/cli/main.js`, ready in a
 * fraction of a second, with no type check. Dependencies are found through NODE_PATH (`nodePath()`).
 */
import * as fs from 'fs';
import * as path from 'path';
import { transformFileSync } from '@swc/core';

const ROOT = path.resolve(__dirname, '..');

/** Transpiles every `src/**\/*.ts` into `outDir`; returns the path of the CLI's entry point. */
export function transpileSources(outDir: string): string {
  const src = path.join(ROOT, 'src');
  const walk = (d: string): string[] =>
    fs
      .readdirSync(d, { withFileTypes: true })
      .flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : e.name.endsWith('.ts') ? [path.join(d, e.name)] : []));
  for (const file of walk(src)) {
    const out = path.join(outDir, path.relative(src, file)).replace(/\.ts$/, '.js');
    fs.mkdirSync(path.dirname(out), { recursive: true });
    const { code } = transformFileSync(file, {
      jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
      module: { type: 'commonjs' },
      swcrc: false,
    });
    fs.writeFileSync(out, code);
  }
  return path.join(outDir, 'cli', 'main.js');
}

/** The NODE_PATH under which transpiled sources find their dependencies. */
export function nodePath(): string {
  return path.join(ROOT, 'node_modules');
}
