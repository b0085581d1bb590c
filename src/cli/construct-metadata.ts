/**
 * cdk8s writes `construct-metadata.json` beside the manifests it synthesizes (with validations configured, or
 * `recordConstructMetadata`): `{ "resources": { "<metadata.name>": { "path": "<construct path>" } } }`. The CLI reads
 * it to name the construct that made each object it judges, so a finding in the YAML leads back to the TypeScript.
 */
import * as fs from 'fs';
import * as path from 'path';

/** Construct paths by folder and object name. */
export interface ConstructPaths {
  /** The construct path of the object `name` of a manifest `file`, when its folder's metadata records one. */
  lookup(file: string | undefined, name: string): string | undefined;
}

/** Reads the given `construct-metadata.json` files (unreadable or malformed ones are ignored: they only add paths). */
export function readConstructMetadata(files: readonly string[]): ConstructPaths {
  const byFolder = new Map<string, Map<string, string>>();
  for (const file of files) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch {
      continue;
    }
    const resources = (parsed as { resources?: unknown } | null)?.resources;
    if (resources === null || typeof resources !== 'object') continue;
    const paths = new Map<string, string>();
    for (const [name, entry] of Object.entries(resources as Record<string, unknown>)) {
      const p = (entry as { path?: unknown } | null)?.path;
      if (typeof p === 'string') paths.set(name, p);
    }
    byFolder.set(path.resolve(path.dirname(file)), paths);
  }
  return {
    lookup: (file, name) => (file === undefined ? undefined : byFolder.get(path.resolve(path.dirname(file)))?.get(name)),
  };
}
