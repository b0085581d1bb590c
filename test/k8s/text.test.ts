import { goToLower } from '../../src/k8s/text';

describe("goToLower (Go's strings.ToLower)", () => {
  test('maps each character by its simple lower case: İ to i, a final Σ to σ, where JavaScript maps them differently', () => {
    expect(goToLower('\u0130STANBUL')).toBe('istanbul');
    expect('\u0130'.toLowerCase()).toBe('i\u0307');
    expect(goToLower('ΟΔΟΣ')).toBe('οδοσ');
    expect('ΟΔΟΣ'.toLowerCase()).toBe('οδος');
  });

  test('agrees with toLowerCase everywhere else: ASCII, the Kelvin sign, astral characters', () => {
    expect(goToLower('\u212a8S.io/Key')).toBe('k8s.io/key');
    expect(goToLower('😀A')).toBe('😀a');
    const differ: string[] = [];
    for (let cp = 0; cp < 0x10000; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const ch = String.fromCodePoint(cp);
      if (goToLower(ch) !== ch.toLowerCase()) differ.push(cp.toString(16));
    }
    expect(differ).toEqual(['130']);
  });
});
