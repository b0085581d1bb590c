import * as fs from 'fs';
import * as path from 'path';
import { ReferenceGrammar } from '../../src/image/reference';

/** The verdict and decomposition of one reference under one library version. */
export interface Verdict {
  readonly valid: boolean;
  readonly domain?: string;
  readonly path?: string;
  readonly name?: string;
  readonly tag?: string | null;
  readonly digest?: string | null;
  readonly error?: string;
  readonly defaultPullPolicy: string;
}

/** One case of test/fixtures/vectors/image-refs.json. */
export interface ImageRefCase extends Verdict {
  readonly ref: string;
  readonly note: string;
  readonly apiServer: { readonly podCreate: string; readonly podTemplate: string };
  readonly distributionReference_v0_5?: Verdict;
  readonly distributionReference_v0_6_plus?: Verdict;
}

/** Every case of the image vectors. */
export const IMAGE_REF_CASES: readonly ImageRefCase[] = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'vectors', 'image-refs.json'), 'utf8'),
).cases;

/**
 * The expected verdict of `c` under `grammar`: top level for docker/distribution v2.8 (Kubernetes 1.27/1.28); for
 * v0.5 the `distributionReference_v0_5` alternative, else top level; for v0.6 `distributionReference_v0_6_plus`,
 * else v0.5, else top level.
 */
export function expectedVerdict(c: ImageRefCase, grammar: ReferenceGrammar): Verdict {
  switch (grammar) {
    case ReferenceGrammar.DOCKER_DISTRIBUTION_V2_8:
      return c;
    case ReferenceGrammar.DISTRIBUTION_REFERENCE_V0_5:
      return c.distributionReference_v0_5 ?? c;
    case ReferenceGrammar.DISTRIBUTION_REFERENCE_V0_6:
      return c.distributionReference_v0_6_plus ?? c.distributionReference_v0_5 ?? c;
  }
}

/** A short label for a case (some refs are 268 characters long). */
export function label(ref: string): string {
  return ref.length > 48 ? `${JSON.stringify(ref.slice(0, 24))}...(${ref.length} chars)` : JSON.stringify(ref);
}

/** The three grammars. */
export const GRAMMARS: readonly ReferenceGrammar[] = [
  ReferenceGrammar.DOCKER_DISTRIBUTION_V2_8,
  ReferenceGrammar.DISTRIBUTION_REFERENCE_V0_5,
  ReferenceGrammar.DISTRIBUTION_REFERENCE_V0_6,
];
