import { DEFAULTS } from '../../src/defaults';
import { PinnedBy, PinningProblemKind, assessPinning } from '../../src/image/pinning';
import { ImageReference } from '../../src/image/reference';

const HEX64 = 'dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c';
const kinds = (image: string, requireDigest = false) => assessPinning(ImageReference.parse(image), { requireDigest }).problems.map((p) => p.kind);

describe('assessPinning', () => {
  test.each([
    ['nginx:1.27.3', PinnedBy.TAG, []],
    [`nginx@sha256:${HEX64}`, PinnedBy.DIGEST, []],
    [`nginx:latest@sha256:${HEX64}`, PinnedBy.DIGEST, []],
    [`nginx:stable@sha256:${HEX64}`, PinnedBy.DIGEST, []],
    ['nginx', PinnedBy.NOTHING, [PinningProblemKind.NOT_PINNED]],
    ['nginx:latest', PinnedBy.NOTHING, [PinningProblemKind.NOT_PINNED]],
    ['nginx:Latest', PinnedBy.NOTHING, [PinningProblemKind.NOT_PINNED]],
    ['registry:5000/app', PinnedBy.NOTHING, [PinningProblemKind.NOT_PINNED]],
    ['nginx:stable', PinnedBy.NOTHING, [PinningProblemKind.FLOATING_TAG]],
    ['nginx:MAIN', PinnedBy.NOTHING, [PinningProblemKind.FLOATING_TAG]],
  ])('%j is pinned by %s with problems %j', (image, pinnedBy, problems) => {
    const a = assessPinning(ImageReference.parse(image));
    expect(a.pinnedBy).toBe(pinnedBy);
    expect(a.mutable).toBe(pinnedBy === PinnedBy.NOTHING);
    expect(a.problems.map((p) => p.kind)).toEqual(problems);
  });

  test('every floating tag of DEFAULTS is a warning by default', () => {
    for (const tag of DEFAULTS.floatingTags) expect(kinds(`app:${tag}`)).toEqual([PinningProblemKind.FLOATING_TAG]);
  });

  test('a custom list names more floating tags; a tag without a digit floats whatever the list', () => {
    expect(assessPinning(ImageReference.parse('app:v2'), { floatingTags: ['V2'] }).problems[0].kind).toBe(PinningProblemKind.FLOATING_TAG);
    expect(assessPinning(ImageReference.parse('app:v2')).problems).toEqual([]);
    expect(assessPinning(ImageReference.parse('app:stable'), { floatingTags: [] }).problems[0].kind).toBe(PinningProblemKind.FLOATING_TAG);
  });

  test.each(['alpine', 'stable-alpine', 'lts-slim', 'bookworm', 'nonroot', 'mainline-alpine'])(
    'a variant tag without a version (%s) floats, and the fix keeps the variant',
    (tag) => {
      const [p] = assessPinning(ImageReference.parse(`redis:${tag}`)).problems;
      expect(p.kind).toBe(PinningProblemKind.FLOATING_TAG);
      expect(p.fix).toContain(`"redis:<version>-${tag}"`);
    },
  );

  test.each(['7.2.4-alpine', '1.25', 'v1.31.2', '20.11.1-bookworm-slim', 'sha-3f1c2e9'])('a tag with a version (%s) is pinned', (tag) => {
    expect(assessPinning(ImageReference.parse(`redis:${tag}`)).problems).toEqual([]);
  });

  test('strict mode reports one problem per image: the pinning error for an unpinned one, the digest error for any other', () => {
    expect(kinds('nginx:1.27.3', true)).toEqual([PinningProblemKind.DIGEST_REQUIRED]);
    expect(kinds('nginx', true)).toEqual([PinningProblemKind.NOT_PINNED]);
    expect(kinds('nginx:stable', true)).toEqual([PinningProblemKind.DIGEST_REQUIRED]);
    expect(kinds(`nginx@sha256:${HEX64}`, true)).toEqual([]);
  });

  test('explains the mutable tag and gives a pinned example', () => {
    const [p] = assessPinning(ImageReference.parse('nginx:latest')).problems;
    expect(`image "nginx:latest" ${p.explanation}; ${p.fix}`).toBe(
      'image "nginx:latest" uses the mutable tag "latest"; pin a version tag or a digest, e.g. "nginx:<version>" or "nginx@sha256:<digest>"',
    );
  });

  test('tells a registry port apart from a tag', () => {
    const [p] = assessPinning(ImageReference.parse('registry:5000/app')).problems;
    expect(p.explanation).toBe('has no tag ("registry:5000" is the registry host and port, not a tag), so Kubernetes pulls the mutable tag "latest"');
    expect(p.fix).toContain('"registry:5000/app:<version>"');
  });

  test('the digest example keeps the tag', () => {
    const p = assessPinning(ImageReference.parse('gcr.io/p/app:1.2'), { requireDigest: true }).problems[0];
    expect(p.fix).toBe('pin it by digest, e.g. "gcr.io/p/app:1.2@sha256:<digest>"');
  });
});
