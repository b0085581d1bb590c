import { splitDocuments } from '../../src/io/split';

/** The text of each document (as the reader loads it), for readable expectations. */
function texts(text: string): string[] {
  return splitDocuments(text).documents.map((d) => text.slice(d.start, d.end));
}

describe('splitDocuments', () => {
  test('splits at --- lines and numbers documents as yaml does: a leading --- opens the first, comments alone count', () => {
    const text = '---\na: 1\n---\n# only a comment\n---\n---\nb: 2\n---\n';
    const { documents, problems } = splitDocuments(text);
    expect(problems).toEqual([]);
    expect(documents.map((d) => [d.index, text.slice(d.start, d.end), d.line, d.contentLine])).toEqual([
      [0, 'a: 1\n', 2, 2],
      [1, '# only a comment\n', 4, undefined],
      [2, '', 6, undefined],
      [3, 'b: 2\n', 7, 7],
      [4, '', 9, undefined],
    ]);
  });

  test('text before the first --- is a document only when it has content', () => {
    expect(texts('# header\n---\na: 1\n')).toEqual(['a: 1\n']);
    expect(texts('a: 1\n---\nb: 2')).toEqual(['a: 1\n', 'b: 2']);
    expect(texts('')).toEqual([]);
  });

  test('a --- line ends a document even inside a block scalar or a quoted string (YAML c-forbidden, and kubectl)', () => {
    expect(texts('a: |\n  x\n---\n  y\n')).toEqual(['a: |\n  x\n', '  y\n']);
    expect(texts('a: "x\n---\ny"\n')).toEqual(['a: "x\n', 'y"\n']);
  });

  test('--- followed by a comment, spaces or CR is a separator; indented or longer dashes are content', () => {
    expect(texts('a: 1\n--- # next\nb: 2\n---   \r\nc: 3\n')).toEqual(['a: 1\n', 'b: 2\n', 'c: 3\n']);
    expect(texts('a: |\n  ---\n  x\n')).toEqual(['a: |\n  ---\n  x\n']);
  });

  test('--- followed by content is refused as kubectl refuses it ("invalid Yaml document separator")', () => {
    const { documents, problems } = splitDocuments('a: 1\n--- {b: 2}\nc: 3\n----\nd: 4\n');
    expect(problems).toEqual([
      { line: 2, column: 4, message: expect.stringContaining('invalid Yaml document separator: "{b: 2}"') },
      { line: 4, column: 4, message: expect.stringContaining('invalid Yaml document separator: "-"') },
    ]);
    expect(documents).toHaveLength(3);
  });

  test('... ends a document; content after it (before the next ---) is reported, since kubectl drops it', () => {
    const text = 'a: 1\n...\n# fine\n---\nb: 2\n...\nc: 3\n---\nd: 4\n';
    const { documents, problems } = splitDocuments(text);
    expect(documents.map((d) => text.slice(d.start, d.end))).toEqual(['a: 1\n', 'b: 2\n', 'd: 4\n']);
    expect(problems).toEqual([{ line: 7, column: 1, message: expect.stringContaining('ignored by kubectl') }]);
  });

  test('... followed by other characters is content, not a marker', () => {
    expect(texts('a: |\n...x\n')).toEqual(['a: |\n...x\n']);
  });
});
