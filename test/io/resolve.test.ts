/**
 * The YAML semantics Kubernetes sees (docs/yaml.md), pinned row by row: every example of the docs' tables is read
 * with the reader and compared with the JSON Kubernetes gets.
 */
import * as fs from 'fs';
import * as path from 'path';
import { load } from 'js-yaml';
import { parseDocument } from 'yaml';
import { readManifestText } from '../../src/io/manifests';
import { KUBERNETES_SCHEMA, resolvePlain, resolvePlainTagged } from '../../src/io/resolve';

const DOC = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'yaml.md'), 'utf8');

/** The rows of the markdown table that follows `heading` (first two cells, backticks removed). */
function rows(after: string, until: string): Array<[string, string, string]> {
  const start = DOC.indexOf(after);
  const end = DOC.indexOf(until, start + after.length);
  expect(start).toBeGreaterThanOrEqual(0);
  return DOC.slice(start, end)
    .split('\n')
    .filter((l) => l.startsWith('| `'))
    .map((l) => {
      const cells = l.split(/ \| /).map((c) => c.replace(/^\| /, ''));
      const code = (c: string): string => /^`(.*)`$/.exec(c.trim())![1];
      return [code(cells[0]), code(cells[1]), /^`.*`$/.test(cells[2]?.trim() ?? '') ? code(cells[2]) : ''];
    });
}

const read = (text: string): unknown => {
  const r = readManifestText(text, 'x.yaml');
  expect(r.errors).toEqual([]);
  return r.objects[0]?.object;
};

describe('plain scalars, as docs/yaml.md lists them', () => {
  const cases = rows('<!-- cases', '<!-- /cases -->');

  test('the table has every case the issue names', () => {
    expect(cases.length).toBeGreaterThanOrEqual(50);
    const inputs = cases.map(([y]) => y);
    for (const y of ['yes', 'y', 'on', 'no', 'off', '0755', '1_000', '.5', '~', '2024-01-02', '1:30', '"yes"']) expect(inputs).toContain(y);
  });

  test.each(cases)('value: %s is %s for Kubernetes (and %s for a YAML 1.2 reader)', (yaml, json, yaml12) => {
    expect(read(`value: ${yaml}\n`)).toEqual({ value: JSON.parse(json) });
    // the same in a flow mapping and as a sequence item
    expect(read(`{value: ${yaml}}\n`)).toEqual({ value: JSON.parse(json) });
    expect(load(`- ${yaml}\n`, { schema: KUBERNETES_SCHEMA })).toEqual([JSON.parse(json)]);
    // the third column: what the `yaml` package reads in its default (YAML 1.2 core) mode, written as JSON
    expect(JSON.stringify(parseDocument(`v: ${yaml}\n`, { logLevel: 'silent' }).toJS().v)).toBe(yaml12);
  });
});

describe('keys, as docs/yaml.md lists them', () => {
  const cases = rows('### Keys', '\n\nSome keys').map(([yaml, json]) => [yaml, json]);

  test.each(cases)('%s is %s for Kubernetes', (yaml, json) => {
    expect(read(`${yaml}\n`)).toEqual(JSON.parse(json));
  });

  test('two keys that resolve to the same value are a duplicate, as go-yaml strict decoding says', () => {
    const r = readManifestText('yes: 1\ntrue: 2\n', 'x.yaml');
    expect(r.errors).toEqual([
      expect.objectContaining({ line: 2, column: 1, message: expect.stringMatching(/^duplicated key "true": kubectl refuses duplicate fields/) }),
    ]);
  });
});

describe('resolvePlain', () => {
  test('gives the tag go-yaml resolves to', () => {
    expect(['yes', '~', '0755', '1e3', '<<', 'nginx'].map((t) => resolvePlainTagged(t).tag)).toEqual([
      'bool',
      'null',
      'int',
      'float',
      'merge',
      'str',
    ]);
  });

  test('keeps uint64 values beyond int64 and falls back to big ints for wider hex', () => {
    expect(resolvePlain('18446744073709551615')).toBe(2 ** 64); // the nearest double
    expect(resolvePlain('0x1FFFFFFFFFFFFFFFFF')).toBe(Number(BigInt('0x1FFFFFFFFFFFFFFFFF')));
    expect(resolvePlain('-0x1FFFFFFFFFFFFFFFFF')).toBe('-0x1FFFFFFFFFFFFFFFFF'); // ParseUint refuses the sign: a string
  });

  test('an explicit core tag that does not fit is an error, as go-yaml says "cannot decode"', () => {
    const r = readManifestText('a: !!int abc\nb: !!bool 1\n', 'x.yaml');
    expect(r.errors).toEqual([expect.objectContaining({ line: 1, message: expect.stringMatching(/explicit tag/) })]);
  });

  test('unknown tags on collections are ignored, and block scalars are never resolved', () => {
    expect(read('a: !thing {b: yes}\nc: !!set [on]\nd: |\n  yes\ne: >-\n  0755\n')).toEqual({ a: { b: true }, c: [true], d: 'yes\n', e: '0755' });
  });

  test('merge keys: written keys win, and the earlier of several merged maps wins', () => {
    const text = 'base: &b {x: 1, z: 1}\nother: &o {x: 2, w: 2}\nm:\n  x: 0\n  <<: [*b, *o]\n';
    expect(read(text)).toEqual({ base: { x: 1, z: 1 }, other: { x: 2, w: 2 }, m: { x: 0, z: 1, w: 2 } });
  });
});
