import * as fc from 'fast-check';
import { ManifestError } from '../../src/k8s/errors';
import { KubernetesVersion } from '../../src/k8s/version';
import {
  ImageReference,
  ImageReferenceError,
  ImageReferenceErrorReason,
  ReferenceGrammar,
  hasEdgeWhitespace,
  referenceGrammarFor,
} from '../../src/image/reference';
import { bestCpuMs } from '../support/cpu';
import { GRAMMARS, IMAGE_REF_CASES, expectedVerdict, label } from './vectors';

const V2_8 = ReferenceGrammar.DOCKER_DISTRIBUTION_V2_8;
const V0_5 = ReferenceGrammar.DISTRIBUTION_REFERENCE_V0_5;
const V0_6 = ReferenceGrammar.DISTRIBUTION_REFERENCE_V0_6;
const HEX64 = 'dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c';

function errorOf(fn: () => unknown): ImageReferenceError {
  try {
    fn();
  } catch (e) {
    if (ImageReferenceError.isImageReferenceError(e)) return e;
    throw e;
  }
  throw new Error('expected an ImageReferenceError');
}

describe('image-refs.json vectors', () => {
  for (const grammar of GRAMMARS) {
    describe(grammar, () => {
      test.each(IMAGE_REF_CASES.map((c) => [label(c.ref), c] as const))('parses %s as upstream does', (_l, c) => {
        const want = expectedVerdict(c, grammar);
        if (want.valid) {
          const r = ImageReference.parse(c.ref, { grammar });
          expect({ domain: r.domain, path: r.path, name: r.name, tag: r.tag ?? null, digest: r.digest ?? null }).toEqual({
            domain: want.domain,
            path: want.path,
            name: want.name,
            tag: want.tag,
            digest: want.digest,
          });
          expect(ImageReference.tryParse(c.ref, { grammar })?.name).toBe(want.name);
        } else {
          const e = errorOf(() => ImageReference.parse(c.ref, { grammar }));
          expect(e).toBeInstanceOf(ImageReferenceError);
          expect(e.grammar).toBe(grammar);
          expect(e.input).toBe(c.ref);
          // distribution/reference names the repository in its lowercase error; v2.8 (the top-level vectors) does not
          expect(e.upstreamMessage.replace(/^(invalid reference format: repository name) \(.*\) (must be lowercase)$/, '$1 $2')).toBe(want.error);
          expect(ImageReference.tryParse(c.ref, { grammar })).toBeUndefined();
        }
      });
    });
  }

  test('every vector case runs', () => {
    expect(IMAGE_REF_CASES.length).toBeGreaterThanOrEqual(41);
  });
});

describe('ImageReferenceError names the rule that was broken', () => {
  const R = ImageReferenceErrorReason;
  test.each([
    ['', R.EMPTY, /is empty/],
    [' nginx', R.WHITESPACE, /whitespace/],
    ['nginx ', R.WHITESPACE, /whitespace/],
    ['ng inx:1', R.WHITESPACE, /whitespace/],
    [HEX64, R.IDENTIFIER_ONLY, /64 hex characters is an image id/],
    ['NGINX', R.NAME_UPPERCASE, /repository name "NGINX" must be lower case/],
    ['foo/Bar:1', R.NAME_UPPERCASE, /repository name "foo\/Bar" must be lower case/],
    ['localhost:5000/Foo', R.NAME_UPPERCASE, /repository name "Foo" must be lower case/],
    [':latest', R.NAME_INVALID, /repository name before ":" is empty/],
    [`@sha256:${HEX64}`, R.NAME_INVALID, /repository name before "@" is empty/],
    ['foo..bar', R.NAME_INVALID, /path component "foo\.\.bar"/],
    ['foo//bar', R.NAME_INVALID, /empty component/],
    ['example.com:abc/foo', R.REGISTRY_INVALID, /registry "example\.com:abc" must be a host name/],
    ['nginx:-1', R.TAG_INVALID, /tag "-1" must start with a letter, digit or "_"/],
    ['nginx:', R.TAG_INVALID, /tag after ":" is empty/],
    [`nginx:${'a'.repeat(129)}`, R.TAG_INVALID, /129 characters, more than 128/],
    ['nginx:1.0:2', R.TAG_INVALID, /tag "1\.0:2"/],
    ['nginx@sha256:abc123', R.DIGEST_INVALID, /at least 32 hex characters/],
    ['nginx@', R.DIGEST_INVALID, /digest after "@" is empty/],
    [`nginx@SHA256:${HEX64}`, R.DIGEST_INVALID, /algorithm "SHA256" must be lower case/],
    [`nginx@md5:${HEX64.slice(0, 32)}`, R.DIGEST_ALGORITHM_UNSUPPORTED, /"md5" is not supported/],
    [`nginx@sha256:${HEX64.slice(0, 32)}`, R.DIGEST_ENCODING_INVALID, /has 32 hex characters, but must be exactly 64 lower-case/],
    [`nginx@sha256:${HEX64.toUpperCase()}`, R.DIGEST_ENCODING_INVALID, /has upper-case hex/],
    [`nginx@sha384:${HEX64}`, R.DIGEST_ENCODING_INVALID, /exactly 96/],
    [`example.com/${'a'.repeat(256)}`, R.NAME_TOO_LONG, /256 characters, more than 255/],
  ])('%j is refused with reason %s', (ref, reason, detail) => {
    const e = errorOf(() => ImageReference.parse(ref));
    expect(e.reason).toBe(reason);
    expect(e.detail).toMatch(detail);
    expect(e.message).toBe(`image reference ${JSON.stringify(ref)} is invalid: ${e.detail}`);
    expect(e.message).not.toMatch(/\.$/);
  });

  test('an IPv6 registry under the 1.27 grammar says which Kubernetes version accepts it', () => {
    const e = errorOf(() => ImageReference.parse('[::1]:5000/app', { kubernetesVersion: KubernetesVersion.V1_27 }));
    expect(e.reason).toBe(ImageReferenceErrorReason.REGISTRY_INVALID);
    expect(e.detail).toMatch(/IPv6 address, which docker\/distribution@v2\.8 \(Kubernetes 1\.28 and older\) does not accept/);
  });

  test('is a ManifestError on the image field, recognised by its type guard', () => {
    const e = errorOf(() => ImageReference.parse('nginx:-1'));
    expect(e).toBeInstanceOf(ManifestError);
    expect(e.field).toBe('image');
    expect(ImageReferenceError.isImageReferenceError(e)).toBe(true);
    expect(ImageReferenceError.isImageReferenceError(new Error('x'))).toBe(false);
  });
});

describe('the repository length limit', () => {
  // 238 characters: "docker.io/library/" + 238 = 256 with the domain, 246 without
  const hub = 'a'.repeat(238);

  test('counts the registry in docker/distribution v2.8 and distribution/reference v0.5', () => {
    expect(errorOf(() => ImageReference.parse(hub, { grammar: V2_8 })).reason).toBe(ImageReferenceErrorReason.NAME_TOO_LONG);
    expect(errorOf(() => ImageReference.parse(hub, { grammar: V0_5 })).upstreamMessage).toBe('repository name must not be more than 255 characters');
  });

  test('counts only the path from distribution/reference v0.6', () => {
    expect(ImageReference.parse(hub, { grammar: V0_6 }).path).toBe(`library/${hub}`);
    expect(ImageReference.parse(`example.com/${'a'.repeat(255)}`).path).toHaveLength(255);
  });
});

describe('grammar selection', () => {
  test('Kubernetes 1.27 and 1.28 use docker/distribution v2.8, 1.29 and later distribution/reference', () => {
    expect(referenceGrammarFor(KubernetesVersion.V1_27)).toBe(V2_8);
    expect(referenceGrammarFor(KubernetesVersion.V1_28)).toBe(V2_8);
    expect(referenceGrammarFor(KubernetesVersion.V1_29)).toBe(V0_6);
    expect(referenceGrammarFor(KubernetesVersion.V1_34)).toBe(V0_6);
  });

  test('parse() defaults to the 1.29+ grammar; an explicit grammar wins over a version', () => {
    expect(ImageReference.parse('[::1]:5000/app').grammar).toBe(V0_6);
    expect(ImageReference.tryParse('[::1]:5000/app', { kubernetesVersion: KubernetesVersion.V1_28 })).toBeUndefined();
    expect(ImageReference.tryParse('[::1]:5000/app', { kubernetesVersion: KubernetesVersion.V1_28, grammar: V0_5 })?.domain).toBe('[::1]:5000');
  });
});

describe('ImageReference', () => {
  test('familiar forms drop docker.io and library/ as docker prints them', () => {
    expect(ImageReference.parse('docker.io/library/nginx:1.27.3').familiar).toBe('nginx:1.27.3');
    expect(ImageReference.parse('bitnami/redis:7').familiar).toBe('bitnami/redis:7');
    expect(ImageReference.parse('docker.io/library/a/b').familiarName).toBe('library/a/b');
    expect(ImageReference.parse('gcr.io/p/app@sha256:' + HEX64).familiar).toBe('gcr.io/p/app@sha256:' + HEX64);
  });

  test('toString() gives the normalised name with tag and digest', () => {
    const r = ImageReference.parse(`nginx:1.27.3@sha256:${HEX64}`);
    expect(r.toString()).toBe(`docker.io/library/nginx:1.27.3@sha256:${HEX64}`);
    expect(r.digestAlgorithm).toBe('sha256');
    expect(ImageReference.parse('nginx').digestAlgorithm).toBeUndefined();
  });

  test('fromTag() and fromDigest() compose and validate', () => {
    expect(ImageReference.fromTag('nginx', '1.27.3').tag).toBe('1.27.3');
    expect(ImageReference.fromDigest('nginx', `sha512:${HEX64}${HEX64}`).digestAlgorithm).toBe('sha512');
    expect(() => ImageReference.fromTag('nginx', '-x')).toThrow(ImageReferenceError);
  });

  test('isImageReference() recognises references only', () => {
    expect(ImageReference.isImageReference(ImageReference.parse('nginx:1'))).toBe(true);
    expect(ImageReference.isImageReference({ domain: 'docker.io' })).toBe(false);
    expect(ImageReference.isImageReference(null)).toBe(false);
  });

  test('hasEdgeWhitespace() follows Go strings.TrimSpace, not JS trim()', () => {
    expect(hasEdgeWhitespace(' nginx')).toBe(true);
    expect(hasEdgeWhitespace('nginx\n')).toBe(true);
    expect(hasEdgeWhitespace('\u0085nginx')).toBe(true);
    expect(hasEdgeWhitespace('\ufeffnginx')).toBe(false);
    expect(hasEdgeWhitespace('ng inx')).toBe(false);
  });
});

// ---- property tests ---------------------------------------------------------------------------------------------

/** A direct port of upstream's regular expressions (distribution/reference regexp.go), as the oracle. */
function oracle(s: string, grammar: ReferenceGrammar): { domain: string; path: string; tag?: string; digest?: string } | undefined {
  const dc = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
  const host = grammar === V2_8 ? `${dc}(?:\\.${dc})*` : `(?:${dc}(?:\\.${dc})*|\\[(?:[a-fA-F0-9:]+)\\])`;
  const domainAndPort = `${host}(?::[0-9]+)?`;
  const pathComponent = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*';
  const remoteName = `${pathComponent}(?:/${pathComponent})*`;
  const reference = new RegExp(
    `^((?:${domainAndPort}/)?${remoteName})(?::([\\w][\\w.-]{0,127}))?(?:@([A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}))?$`,
  );
  const anchoredName = new RegExp(`^(?:(${domainAndPort})/)?(${remoteName})$`);
  if (/^[a-f0-9]{64}$/.test(s)) return undefined;
  const i = s.indexOf('/');
  let domain = 'docker.io';
  let rest = s;
  if (i >= 0) {
    const first = s.slice(0, i);
    if (first === 'localhost' || /[.:]/.test(first) || (grammar !== V2_8 && first.toLowerCase() !== first)) {
      domain = first === 'index.docker.io' ? 'docker.io' : first;
      rest = s.slice(i + 1);
    }
  }
  if (domain === 'docker.io' && !rest.includes('/')) rest = `library/${rest}`;
  const remote = rest.split(':')[0];
  if (remote.toLowerCase() !== remote) return undefined;
  const m = reference.exec(`${domain}/${rest}`);
  if (!m) return undefined;
  const nm = anchoredName.exec(m[1])!;
  if ((grammar === V0_6 ? nm[2] : m[1]).length > 255) return undefined;
  const digest = m[3];
  if (digest !== undefined && !/^(sha256:[a-f0-9]{64}|sha384:[a-f0-9]{96}|sha512:[a-f0-9]{128})$/.test(digest)) return undefined;
  return { domain: nm[1] ?? '', path: nm[2], tag: m[2], digest };
}

const TOKENS = [
  'a',
  'b',
  'z',
  '0',
  '9',
  'A',
  'Q',
  ':',
  '/',
  '@',
  '.',
  '_',
  '__',
  '-',
  '--',
  '[',
  ']',
  '::1',
  ' ',
  'é',
  'localhost',
  'docker.io',
  'index.docker.io',
  'example.com',
  '5000',
  'latest',
  'library',
  `sha256:${HEX64}`,
  'sha512:',
  HEX64,
];
const tokenString = fc.array(fc.constantFrom(...TOKENS), { maxLength: 9 }).map((t) => t.join(''));

const lowerAlnum = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'), minLength: 1, maxLength: 6 });
const pathComponent = fc
  .tuple(lowerAlnum, fc.array(fc.tuple(fc.constantFrom('.', '_', '__', '-', '--'), lowerAlnum), { maxLength: 2 }))
  .map(([head, rest]) => head + rest.map(([s, a]) => s + a).join(''));
const hostLabel = fc
  .tuple(fc.constantFrom(...'abcxyzABC019'), fc.string({ unit: fc.constantFrom(...'abcXYZ09-'), maxLength: 5 }), fc.constantFrom(...'az09Z'))
  .map(([a, mid, z]) => a + mid + z);
const port = fc.option(
  fc.integer({ min: 1, max: 65535 }).map((p) => `:${p}`),
  { nil: undefined },
);
const hex = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: n, maxLength: n });

interface Built {
  readonly text: string;
  readonly domain: string;
  readonly path: string;
  readonly tag?: string;
  readonly digest?: string;
  /** Uses a distribution/reference-only feature (IPv6 host, upper-case dot-less first component). */
  readonly modernOnly: boolean;
}

const domainArb = fc.oneof(
  fc.constant({ text: undefined as string | undefined, modernOnly: false }),
  fc.tuple(fc.array(hostLabel, { minLength: 2, maxLength: 3 }), port).map(([l, p]) => ({ text: l.join('.') + (p ?? ''), modernOnly: false })),
  fc.tuple(hostLabel, fc.integer({ min: 1, max: 65535 })).map(([h, p]) => ({ text: `${h}:${p}`, modernOnly: false })),
  port.map((p) => ({ text: `localhost${p ?? ''}`, modernOnly: false })),
  fc
    .tuple(fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 4, maxLength: 4 }), port)
    .map(([o, p]) => ({ text: o.join('.') + (p ?? ''), modernOnly: false })),
  fc.tuple(fc.constantFrom('[::1]', '[fd00::1]', '[2001:DB8::2]'), port).map(([h, p]) => ({ text: h + (p ?? ''), modernOnly: true })),
  fc.constantFrom('REGISTRY', 'Reg').map((h) => ({ text: h, modernOnly: true })),
  fc.constantFrom('docker.io', 'index.docker.io').map((h) => ({ text: h, modernOnly: false })),
);

const builtArb: fc.Arbitrary<Built> = fc
  .tuple(
    domainArb,
    fc.array(pathComponent, { minLength: 1, maxLength: 3 }),
    fc.option(
      fc.tuple(fc.constantFrom(...'abcXYZ019_'), fc.string({ unit: fc.constantFrom(...'abXY09_.-'), maxLength: 12 })).map(([a, b]) => a + b),
      { nil: undefined },
    ),
    fc.option(
      fc.oneof(
        hex(64).map((h) => `sha256:${h}`),
        hex(96).map((h) => `sha384:${h}`),
        hex(128).map((h) => `sha512:${h}`),
      ),
      { nil: undefined },
    ),
  )
  .filter(([d, comps]) => d.text !== undefined || comps.length === 1 || !(comps[0].includes('.') || comps[0] === 'localhost'))
  .map(([d, comps, tag, digest]) => {
    const given = comps.join('/');
    const domain = d.text === undefined || d.text === 'index.docker.io' ? 'docker.io' : d.text;
    const path = domain === 'docker.io' && comps.length === 1 ? `library/${given}` : given;
    const text = `${d.text !== undefined ? `${d.text}/` : ''}${given}${tag !== undefined ? `:${tag}` : ''}${digest !== undefined ? `@${digest}` : ''}`;
    return { text, domain, path, tag, digest, modernOnly: d.modernOnly };
  });

describe('properties', () => {
  test('parse() never throws anything but ImageReferenceError', () => {
    const anyString = fc.oneof(tokenString, fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 }));
    fc.assert(
      fc.property(anyString, fc.constantFrom(...GRAMMARS), (s, grammar) => {
        try {
          ImageReference.parse(s, { grammar });
        } catch (e) {
          expect(ImageReferenceError.isImageReferenceError(e)).toBe(true);
          expect(e).toBeInstanceOf(ImageReferenceError);
        }
      }),
      { numRuns: 3000 },
    );
  });

  test('parse() agrees with a direct port of the upstream regular expressions', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          tokenString,
          builtArb.map((b) => b.text),
        ),
        fc.constantFrom(...GRAMMARS),
        (s, grammar) => {
          const want = oracle(s, grammar);
          const got = ImageReference.tryParse(s, { grammar });
          expect(got === undefined ? undefined : { domain: got.domain, path: got.path, tag: got.tag, digest: got.digest }).toEqual(want);
        },
      ),
      { numRuns: 3000 },
    );
  });

  test('parse(r.toString()) round-trips', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          tokenString,
          builtArb.map((b) => b.text),
        ),
        fc.constantFrom(...GRAMMARS),
        (s, grammar) => {
          const r = ImageReference.tryParse(s, { grammar });
          if (r === undefined) return;
          const again = ImageReference.parse(r.toString(), { grammar });
          expect([again.domain, again.path, again.tag, again.digest]).toEqual([r.domain, r.path, r.tag, r.digest]);
          expect(again.toString()).toBe(r.toString());
        },
      ),
      { numRuns: 3000 },
    );
  });

  test('parse(r.familiar) round-trips unless the familiar name starts with something that looks like a registry', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          tokenString,
          builtArb.map((b) => b.text),
        ),
        fc.constantFrom(...GRAMMARS),
        (s, grammar) => {
          const r = ImageReference.tryParse(s, { grammar });
          if (r === undefined) return;
          const again = ImageReference.tryParse(r.familiar, { grammar });
          const first = r.familiarName.split('/')[0];
          const ambiguous = r.domain === 'docker.io' && r.familiarName.includes('/') && (/[.:]/.test(first) || first === 'localhost');
          if (ambiguous) {
            // upstream's FamiliarString has the same ambiguity: docker.io/a.b/c prints as a.b/c, a reference to registry a.b
            expect(again?.domain).not.toBe('docker.io');
          } else {
            expect(again?.toString()).toBe(r.toString());
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  test('valid generated references parse to the parts they were built from', () => {
    fc.assert(
      fc.property(builtArb, fc.constantFrom(...GRAMMARS), (b, grammar) => {
        fc.pre(grammar !== V2_8 || !b.modernOnly);
        const r = ImageReference.parse(b.text, { grammar });
        expect({ domain: r.domain, path: r.path, tag: r.tag, digest: r.digest }).toEqual({
          domain: b.domain,
          path: b.path,
          tag: b.tag,
          digest: b.digest,
        });
      }),
      { numRuns: 3000 },
    );
  });

  test.each([
    ['a long name with a bad last character', (n: number) => 'a'.repeat(n) + '!'],
    ['many dashes', (n: number) => 'a-'.repeat(n) + '!'],
    ['many dots, then a bad path', (n: number) => 'a.'.repeat(n) + '/b!'],
    ['many underscores in the path', (n: number) => `example.com/${'a_'.repeat(n)}`],
    ['a long bad digest', (n: number) => `nginx@${'a'.repeat(n)}`],
  ])('parse() is linear on long adversarial input: %s', (_what, make) => {
    // CPU time (the best of five) at sizes 10× apart: a backtracking (super-linear) grammar grows 100× or more
    const cpuMs = (n: number): number => {
      const text = make(n);
      return bestCpuMs(() => {
        for (let k = 0; k < 10; k++) for (const grammar of GRAMMARS) ImageReference.tryParse(text, { grammar });
      });
    };
    cpuMs(300); // warm up
    const small = cpuMs(3_000);
    const large = cpuMs(30_000);
    expect(large).toBeLessThan(50 * Math.max(small, 1));
  });
});
