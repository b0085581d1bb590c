/**
 * The pod-shaped objects the parity tests judge both ways: every object in the manifest fixtures (`bad-manifests`,
 * `real-world`, `hostile`, ...), every pod-shaped object inside the JSON vectors, and pods built from the vectors'
 * inputs (image references, lifecycle hooks, env names, downward-API paths, RuntimeClass names).
 */
import * as fs from 'fs';
import * as path from 'path';
import { POD_KINDS } from '../../src/admission/subject';
import { readManifestBytes } from '../../src/io/manifests';

const FIXTURES = path.join(__dirname, '..', 'fixtures');
const VECTORS = path.join(FIXTURES, 'vectors');

/** One object of the corpus, with where it comes from. */
export interface CorpusObject {
  /** `bad-manifests/pod-latest.yaml#0`, `vectors/image-refs.json:ref=nginx`, ... */
  readonly origin: string;
  /** The object as written. */
  readonly object: Record<string, unknown>;
}

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(full) : /\.(ya?ml|json)$/.test(e.name) ? [full] : [];
  });
}

const POD_KIND_NAMES = new Set(POD_KINDS.map((k) => k.kind));

function isPodShaped(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && POD_KIND_NAMES.has(String((x as { kind?: unknown }).kind));
}

/** Pod-shaped objects nested anywhere in a JSON value. */
function nestedPodObjects(x: unknown, at: string, out: CorpusObject[]): void {
  if (Array.isArray(x)) x.forEach((y, i) => nestedPodObjects(y, `${at}[${i}]`, out));
  else if (typeof x === 'object' && x !== null) {
    if (isPodShaped(x) && typeof (x as { apiVersion?: unknown }).apiVersion === 'string') out.push({ origin: at, object: x });
    for (const [k, v] of Object.entries(x)) nestedPodObjects(v, `${at}.${k}`, out);
  }
}

/** A Pod with one container, merged with `spec`. */
function pod(name: string, container: Record<string, unknown>, spec: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'vectors' },
    spec: { containers: [{ name: 'main', image: 'registry.example.com/app:1.0.0', imagePullPolicy: 'IfNotPresent', ...container }], ...spec },
  };
}

/** A Deployment whose pod template is `spec`. */
function deployment(name: string, spec: Record<string, unknown>): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'vectors' },
    spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec } },
  };
}

function readJson(file: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(VECTORS, file), 'utf8')) as Record<string, unknown>;
}

/** Pods built from the vectors' inputs. */
function vectorPods(): CorpusObject[] {
  const out: CorpusObject[] = [];
  const images = readJson('image-refs.json').cases as Array<{ ref: string }>;
  images.forEach(({ ref }, i) => {
    out.push({ origin: `vectors/image-refs.json:${JSON.stringify(ref)}`, object: pod(`image-${i}`, { image: ref }) });
    out.push({
      origin: `vectors/image-refs.json:${JSON.stringify(ref)} (no pull policy)`,
      object: pod(`image-np-${i}`, { image: ref, imagePullPolicy: undefined }),
    });
    out.push({
      origin: `vectors/image-refs.json:${JSON.stringify(ref)} (Deployment)`,
      object: deployment(`image-${i}`, pod('x', { image: ref }).spec as Record<string, unknown>),
    });
  });
  const lifecycle = readJson('lifecycle.json').cases as Array<{
    id: string;
    containerKind: string;
    terminationGracePeriodSeconds?: number;
    restartPolicy?: string;
    lifecycle: unknown;
  }>;
  for (const c of lifecycle) {
    const hooked = {
      name: 'hooked',
      image: 'registry.example.com/app:1.0.0',
      imagePullPolicy: 'IfNotPresent',
      lifecycle: c.lifecycle,
      ...(c.restartPolicy ? { restartPolicy: c.restartPolicy } : {}),
    };
    const spec: Record<string, unknown> = { terminationGracePeriodSeconds: c.terminationGracePeriodSeconds };
    if (c.containerKind === 'containers') spec.containers = [hooked];
    else {
      spec.containers = [{ name: 'main', image: 'registry.example.com/app:1.0.0', imagePullPolicy: 'IfNotPresent' }];
      spec[c.containerKind] = [hooked];
    }
    out.push({ origin: `vectors/lifecycle.json:${c.id}`, object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: c.id }, spec } });
    if (c.containerKind === 'containers') {
      // the same hook on a sidecar init container
      const sidecar = { ...hooked, restartPolicy: 'Always' };
      out.push({
        origin: `vectors/lifecycle.json:${c.id} (sidecar)`,
        object: deployment(c.id, {
          ...spec,
          containers: [{ name: 'main', image: 'registry.example.com/app:1.0.0', imagePullPolicy: 'IfNotPresent' }],
          initContainers: [sidecar],
        }),
      });
    }
  }
  const envNames = readJson('env-names.json') as { names: Array<{ name: string }>; fieldRefs: Array<{ fieldPath: string }> };
  envNames.names.forEach(({ name }, i) => {
    out.push({ origin: `vectors/env-names.json:${JSON.stringify(name)}`, object: pod(`env-${i}`, { env: [{ name, value: 'x' }] }) });
    out.push({
      origin: `vectors/env-names.json:${JSON.stringify(name)} (envFrom prefix)`,
      object: pod(`env-from-${i}`, { envFrom: [{ prefix: name, configMapRef: { name: 'settings' } }] }),
    });
  });
  envNames.fieldRefs.forEach(({ fieldPath }, i) => {
    out.push({
      origin: `vectors/env-names.json:fieldRef ${JSON.stringify(fieldPath)}`,
      object: pod(`field-${i}`, { env: [{ name: 'X', valueFrom: { fieldRef: { fieldPath } } }] }),
    });
  });
  const rc = readJson('runtimeclass.json') as { podRuntimeClassName: Array<{ runtimeClassName: string }> };
  rc.podRuntimeClassName.forEach(({ runtimeClassName }, i) => {
    out.push({ origin: `vectors/runtimeclass.json:${JSON.stringify(runtimeClassName)}`, object: pod(`rc-${i}`, {}, { runtimeClassName }) });
  });
  return out;
}

/** Every object of the manifest fixtures and every pod-shaped object of the JSON vectors. */
function fixtureObjects(): CorpusObject[] {
  const out: CorpusObject[] = [];
  for (const file of filesUnder(FIXTURES)) {
    const rel = path.relative(FIXTURES, file);
    if (rel.startsWith(`vectors${path.sep}`)) {
      nestedPodObjects(JSON.parse(fs.readFileSync(file, 'utf8')), rel, out);
      continue;
    }
    // read as the CLI reads (encodings, YAML 1.1 scalars); the readable documents of a file with an input error count
    const { objects } = readManifestBytes(fs.readFileSync(file), rel);
    objects.forEach((o, i) => {
      if (isPodShaped(o.object)) out.push({ origin: `${rel}#${i}`, object: o.object });
    });
  }
  return out;
}

/** The whole corpus. */
export function corpus(): CorpusObject[] {
  return [...fixtureObjects(), ...vectorPods()];
}
