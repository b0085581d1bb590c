/**
 * Splitting a YAML stream into documents, as `kubectl` does before it parses anything.
 *
 * kubectl reads a stream with apimachinery's `YAMLReader` (k8s.io/apimachinery `pkg/util/yaml/decoder.go`,
 * kubernetes/kubernetes @ 046d201c45cebd19eb1fc4612426761c64802825): a line that starts with `---` ends the current
 * document when the rest of the line is blank or a comment; any other line starting with `---` is an error ("invalid
 * Yaml document separator"). Each chunk then goes to go-yaml's `Unmarshal`, which reads the chunk's *first* YAML
 * document only: after a `...` (document end) line, everything up to the next `---` line is silently dropped.
 *
 * The YAML specification agrees on the split: `---` or `...` at column 0 followed by a space, a tab or the end of the
 * line is `c-forbidden` (YAML 1.2.2 §9.1.4, rule [206]) inside any document, block scalars included, so a document can
 * never continue past such a line.
 */

/** One document of a stream: where its text is, and its number. */
export interface DocumentSpan {
  /** Index of the document in the stream, from 0 (counted as `yaml`'s `parseAllDocuments` counts them). */
  readonly index: number;
  /** Offset of the first character of the document's text (after its `---` line). */
  readonly start: number;
  /** Offset just after the document's text (before the next `---` or `...` line). */
  readonly end: number;
  /** Line (from 1) of the first line of the document's text. */
  readonly line: number;
  /** Line (from 1) of the first line with content (not blank, not a comment); `undefined` for an empty document. */
  readonly contentLine?: number;
}

/** A problem with the stream's separators, at a line (from 1) and column (from 1). */
export interface SplitProblem {
  /** Line (from 1). */
  readonly line: number;
  /** Column (from 1). */
  readonly column: number;
  /** What is wrong, one sentence. */
  readonly message: string;
}

/** The documents of a stream and the problems of its separators. */
export interface SplitResult {
  /** The documents, in order (empty ones included: they keep the numbering). */
  readonly documents: DocumentSpan[];
  /** Separator lines kubectl would refuse, and content kubectl would silently drop. */
  readonly problems: SplitProblem[];
}

const MARKER = /(^|\n)(---|\.\.\.)([^\n]*)/g;

/** Line (from 1) of the first content line in `text[start, end)`, or undefined when there is none. */
function firstContentLine(text: string, start: number, end: number, line: number): number | undefined {
  let pos = start;
  while (pos < end) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0 || nl > end) nl = end;
    let i = pos;
    while (i < nl) {
      const c = text.charCodeAt(i);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0d) break;
      i++;
    }
    if (i < nl && text.charCodeAt(i) !== 0x23 /* # */) return line;
    pos = nl + 1;
    line++;
  }
  return undefined;
}

/**
 * Splits a stream into its documents at `---` lines, as kubectl does, and reports what kubectl would refuse or drop:
 * a line starting with `---` followed by anything but a comment, and content after a `...` line before the next `---`.
 * Linear in the length of the text.
 */
export function splitDocuments(text: string): SplitResult {
  const documents: DocumentSpan[] = [];
  const problems: SplitProblem[] = [];
  let line = 1; // line of `counted`
  let counted = 0; // offset up to which newlines have been counted
  const lineAt = (offset: number): number => {
    for (let nl = text.indexOf('\n', counted); nl >= 0 && nl < offset; nl = text.indexOf('\n', nl + 1)) line++;
    counted = offset;
    return line;
  };

  let start = 0; // start of the current document's text
  let startLine = 1;
  let opened = false; // the current document was opened by a `---` line
  let endedAt: number | undefined; // offset of a `...` line ending the current document
  const close = (end: number): void => {
    const textEnd = endedAt ?? end;
    const contentLine = firstContentLine(text, start, textEnd, startLine);
    if (endedAt !== undefined) {
      // everything after `...` up to the next `---` is dropped by kubectl; tell the author if it is more than comments
      const afterEnd = text.indexOf('\n', endedAt);
      const dropped = afterEnd < 0 || afterEnd >= end ? undefined : firstContentLine(text, afterEnd + 1, end, lineAt(afterEnd) + 1);
      if (dropped !== undefined) {
        problems.push({
          line: dropped,
          column: 1,
          message:
            'content after a "..." (document end) line is ignored by kubectl up to the next "---" line; remove the "..." line or start a new document with "---"',
        });
      }
    }
    if (opened || contentLine !== undefined) {
      documents.push({ index: documents.length, start, end: textEnd, line: startLine, ...(contentLine !== undefined ? { contentLine } : {}) });
    }
  };

  MARKER.lastIndex = 0;
  for (let m = MARKER.exec(text); m !== null; m = MARKER.exec(text)) {
    const at = m.index + m[1].length;
    const rest = m[3];
    if (m[2] === '...') {
      // a document end marker: `...` then a space, a tab, a comment or the end of the line
      if (endedAt === undefined && (rest === '' || /^[ \t\r]/.test(rest))) endedAt = at;
      continue;
    }
    close(at);
    const trimmed = rest.trim();
    if (trimmed !== '' && !trimmed.startsWith('#')) {
      problems.push({
        line: lineAt(at),
        column: 4,
        message: `kubectl refuses a "---" line followed by anything but a comment (invalid Yaml document separator: ${JSON.stringify(trimmed)}); put the content on the next line`,
      });
    }
    const next = text.indexOf('\n', at);
    start = next < 0 ? text.length : next + 1;
    startLine = lineAt(at) + 1;
    opened = true;
    endedAt = undefined;
  }
  close(text.length);
  return { documents, problems };
}
