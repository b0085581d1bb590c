/**
 * ConfigMaps and Secrets found among the manifests: what `envFrom` and `configMapKeyRef`/`secretKeyRef` can read at
 * synth. The kubelet reads only a ConfigMap's `data` (not `binaryData`) and a Secret's `data` (which `stringData` is
 * merged into on write) (`kubelet_pods.go makeEnvironmentVariables`). Secret values are never kept.
 */
import type { LocatedObject } from '../k8s/shapes';
import { isJsonObject } from '../rules/normalize';
import type { ConfigSourceFacts } from './types';
import { ConfigSourceKind } from './types';

function unwrap(x: unknown): unknown {
  return isJsonObject(x) && 'object' in x && !('kind' in x) ? (x as unknown as LocatedObject).object : x;
}

/** The ConfigMaps (`v1`) and Secrets (`v1`) among `objects` (plain JSON or `LocatedObject`s); a later one of the same name wins. */
export function configSourcesOf(objects: Iterable<unknown>): ConfigSourceFacts[] {
  const byKey = new Map<string, ConfigSourceFacts>();
  for (const item of objects) {
    const o = unwrap(item);
    if (!isJsonObject(o) || o.apiVersion !== 'v1' || (o.kind !== 'ConfigMap' && o.kind !== 'Secret')) continue;
    const metadata = isJsonObject(o.metadata) ? o.metadata : {};
    const name = typeof metadata.name === 'string' ? metadata.name : '';
    const namespace = typeof metadata.namespace === 'string' ? metadata.namespace : undefined;
    const data = isJsonObject(o.data) ? o.data : {};
    let facts: ConfigSourceFacts;
    if (o.kind === 'ConfigMap') {
      const values: Record<string, string> = {};
      for (const [k, v] of Object.entries(data)) values[k] = typeof v === 'string' ? v : String(v);
      facts = { kind: ConfigSourceKind.CONFIG_MAP, name, ...(namespace !== undefined ? { namespace } : {}), keys: Object.keys(values), values };
    } else {
      const stringData = isJsonObject(o.stringData) ? o.stringData : {};
      const keys = [...new Set([...Object.keys(data), ...Object.keys(stringData)])];
      facts = { kind: ConfigSourceKind.SECRET, name, ...(namespace !== undefined ? { namespace } : {}), keys };
    }
    byKey.set(`${facts.kind}/${namespace ?? ''}/${name}`, facts);
  }
  return [...byKey.values()];
}
