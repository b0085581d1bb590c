/**
 * Compares the manifest reader before the fast reader (the `yaml` package in YAML 1.1 mode, at the commit given below)
 * with the current one, file by file: the objects read, the errors, and the findings of the rule catalogue with their
 * lines. Any difference is printed; the script exits 1 when there is one.
 *
 *   npx ts-node --transpile-only bench/compare-readers.ts [paths...]      (default: test/fixtures)
 *
 * The old reader is taken from git (`git show <commit>:src/io/manifests.ts`) into .bench/, so the comparison needs
 * nothing but this repository.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { isDeepStrictEqual } from 'util';
import { readManifestBytes } from '../src/io/manifests';
import type { LocatedObject } from '../src/k8s/shapes';
import { checkObjects } from '../src/rules/check';
import type { ObjectFinding } from '../src/rules/check';

const ROOT = path.resolve(__dirname, '..');
const OLD_COMMIT = '761554f';

interface OldLocated {
  readonly object: unknown;
  readonly source?: { file: string; document?: number; item?: number; line?: number };
  readonly lineOf?: (field: string) => number | undefined;
}

function oldReader(): (text: string, file: string) => OldLocated[] {
  const dir = path.join(ROOT, '.bench', 'old-reader', 'io');
  fs.mkdirSync(dir, { recursive: true });
  const source = execFileSync('git', ['show', `${OLD_COMMIT}:src/io/manifests.ts`], { cwd: ROOT, encoding: 'utf8' });
  fs.writeFileSync(path.join(dir, 'manifests.ts'), source);
  return (require(path.join(dir, 'manifests.ts')) as { parseManifests: (text: string, file: string) => OldLocated[] }).parseManifests;
}

function manifests(p: string): string[] {
  const stat = fs.statSync(p);
  if (!stat.isDirectory()) return [p];
  return fs
    .readdirSync(p)
    .sort()
    .flatMap((name) => manifests(path.join(p, name)))
    .filter((f) => /\.(ya?ml|json)$/i.test(f));
}

/** A finding as compared: what it says and where. */
function summary(f: ObjectFinding): string {
  return `${f.source?.file}:${f.source?.line} doc ${f.source?.document} item ${f.source?.item ?? '-'} ${f.rule} ${f.field}: ${f.message}`;
}

function main(paths: string[]): number {
  const parseOld = oldReader();
  const files = paths.flatMap(manifests);
  let differences = 0;
  let same = 0;
  const report = (file: string, what: string): void => {
    differences++;
    process.stdout.write(`${path.relative(ROOT, file)}: ${what}\n`);
  };
  for (const file of files) {
    const bytes = fs.readFileSync(file);
    let old: OldLocated[] | undefined;
    let oldError: string | undefined;
    try {
      old = parseOld(bytes.toString('utf8'), file);
    } catch (e) {
      oldError = (e as Error).message;
    }
    const now = readManifestBytes(bytes, file);
    const newError = now.errors.map((e) => `${e.line}:${e.column}: ${e.message}`).join('; ');
    if (oldError !== undefined || newError !== '') {
      if (oldError === undefined || newError === '') report(file, `old: ${oldError ?? 'read'}; new: ${newError || 'read'}`);
      else same++;
      continue;
    }
    const oldObjects = old!.map((o) => o.object);
    const newObjects = now.objects.map((o) => o.object);
    if (!isDeepStrictEqual(JSON.parse(JSON.stringify(oldObjects)), newObjects)) {
      const i = oldObjects.findIndex((o, k) => !isDeepStrictEqual(JSON.parse(JSON.stringify(o)), newObjects[k]));
      report(
        file,
        `objects differ (first at object ${i}): old ${JSON.stringify(oldObjects[i]).slice(0, 300)} / new ${JSON.stringify(newObjects[i]).slice(0, 300)}`,
      );
      continue;
    }
    const adapted: LocatedObject[] = old!.map((o) => ({
      object: o.object,
      ...(o.source ? { source: o.source } : {}),
      locate: (field: string) => {
        const line = o.lineOf?.(field);
        return line === undefined ? undefined : { line, column: 0 };
      },
    }));
    const before = checkObjects(adapted).findings.map(summary);
    const after = checkObjects(now.objects).findings.map(summary);
    if (!isDeepStrictEqual(before, after)) {
      report(
        file,
        `findings differ:\n  old: ${before.filter((x) => !after.includes(x)).join('\n  old: ')}\n  new: ${after.filter((x) => !before.includes(x)).join('\n  new: ')}`,
      );
      continue;
    }
    same++;
  }
  process.stdout.write(`${files.length} files: ${same} read alike (objects, findings and lines, or both refused), ${differences} differ\n`);
  return differences > 0 ? 1 : 0;
}

process.exitCode = main(process.argv.length > 2 ? process.argv.slice(2) : [path.join(ROOT, 'test', 'fixtures')]);
