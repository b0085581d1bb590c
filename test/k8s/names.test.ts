/**
 * The apimachinery name validators: each is checked against an independent formulation of its upstream rule (the
 * regex and length of validation.go, written here separately), over generated strings, and never throws.
 */
import * as fc from 'fast-check';
import {
  validateDns1035Label,
  validateDns1123Label,
  validateDns1123Subdomain,
  validateEnvVarName,
  validateHttpHeaderName,
  validateLabelValue,
  validatePortName,
  validateQualifiedName,
  validateRelaxedEnvVarName,
} from '../../src/k8s/names';

// strings biased toward the characters the rules care about
const alphabet = fc.constantFrom(...'abcxyzABCXYZ0123456789-._/= :'.split(''));
const candidate = fc.oneof(
  fc.string({ unit: alphabet, maxLength: 20 }),
  fc.string({ unit: alphabet, minLength: 60, maxLength: 70 }),
  fc.string({ unit: alphabet, minLength: 250, maxLength: 260 }),
  fc.string({ maxLength: 20 }),
);

const label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const oracles: Array<[string, (s: string) => string[], (s: string) => boolean]> = [
  ['DNS-1123 label', validateDns1123Label, (s) => s.length <= 63 && label.test(s)],
  ['DNS-1123 subdomain', validateDns1123Subdomain, (s) => s.length <= 253 && s.split('.').every((p) => label.test(p))],
  ['DNS-1035 label', validateDns1035Label, (s) => s.length <= 63 && /^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(s)],
  ['label value', validateLabelValue, (s) => s.length <= 63 && /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/.test(s)],
  [
    'qualified name (label key)',
    validateQualifiedName,
    (s) => {
      const parts = s.split('/');
      const name = parts[parts.length - 1];
      const nameOk = name.length >= 1 && name.length <= 63 && /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/.test(name);
      if (parts.length === 1) return nameOk;
      if (parts.length !== 2) return false;
      const prefix = parts[0];
      return nameOk && prefix.length >= 1 && prefix.length <= 253 && prefix.split('.').every((p) => label.test(p));
    },
  ],
  [
    'IANA port name',
    validatePortName,
    (s) =>
      s.length >= 1 && s.length <= 15 && /^[-a-z0-9]+$/.test(s) && /[a-z]/.test(s) && !s.includes('--') && !s.startsWith('-') && !s.endsWith('-'),
  ],
  ['env var name (1.8-1.31)', validateEnvVarName, (s) => /^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(s) && s !== '.' && !s.startsWith('..')],
  ['env var name (relaxed, 1.32+)', validateRelaxedEnvVarName, (s) => s.length > 0 && [...s].every((c) => c >= ' ' && c <= '~' && c !== '=')],
  ['HTTP header name', validateHttpHeaderName, (s) => /^[-A-Za-z0-9]+$/.test(s)],
];

describe('Kubernetes name validators', () => {
  test.each(oracles)('%s: accepts exactly what the upstream rule accepts, and never throws', (_name, validate, oracle) => {
    fc.assert(
      fc.property(candidate, (s) => {
        const errors = validate(s);
        expect(Array.isArray(errors)).toBe(true);
        expect(errors.length === 0).toBe(oracle(s));
      }),
      { numRuns: 2000 },
    );
  });

  test.each([
    ['kata.fc', ['must not contain dots']],
    ['Runc', [expect.stringMatching(/^a lowercase RFC 1123 label must consist of/)]],
    ['a'.repeat(64), ['must be no more than 63 characters']],
  ])('DNS-1123 label %p gives the upstream messages', (value, messages) => {
    expect(validateDns1123Label(value)).toEqual(messages);
  });

  test('port names report every broken rule, as IsValidPortName does', () => {
    expect(validatePortName('HTTP')).toEqual([
      'must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
      'must contain at least one letter (a-z)',
    ]);
    expect(validatePortName('8080')).toEqual(['must contain at least one letter (a-z)']);
    expect(validatePortName('-a--b-')).toEqual(['must not contain consecutive hyphens', 'must not begin or end with a hyphen']);
  });
});
