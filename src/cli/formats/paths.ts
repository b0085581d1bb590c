import * as path from 'path';
import { pathToFileURL } from 'url';

/** The file name findings carry for standard input (the path `-`). */
export const STDIN_FILE_NAME = '<stdin>';

/** Lone surrogates cannot be percent-encoded (`encodeURIComponent` throws on them): they become U+FFFD. */
function wellFormed(s: string): string {
  return s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

/** Where a file is, as the formats write it (lone surrogates, which are not text, replaced by U+FFFD). */
export type FileLocation =
  /** Inside the working directory: `relative` is a POSIX path from it (`manifests/web.yaml`), `uri` its URI reference. */
  | { readonly kind: 'relative'; readonly relative: string; readonly uri: string }
  /** Outside the working directory: `uri` is an absolute `file://` URI. */
  | { readonly kind: 'absolute'; readonly absolute: string; readonly uri: string }
  /** Standard input, or no file at all: there is no path. */
  | { readonly kind: 'none' };

/**
 * Locates `file` (as given on the command line) relative to `cwd`: a POSIX path (`/` separators on every platform)
 * and a URI reference whose every segment is percent-encoded (spaces, `#`, `%`, `:`, newlines, non-ASCII as UTF-8),
 * so a code-scanning UI resolves it against the repository root.
 */
export function locateFile(file: string | undefined, cwd: string): FileLocation {
  if (file === undefined || file === STDIN_FILE_NAME) return { kind: 'none' };
  const absolute = path.resolve(cwd, file);
  const relative = path.relative(path.resolve(cwd), absolute);
  if (relative === '' || relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) {
    return { kind: 'absolute', absolute: wellFormed(absolute), uri: pathToFileURL(wellFormed(absolute)).href };
  }
  const segments = relative.split(path.sep);
  return {
    kind: 'relative',
    relative: wellFormed(segments.join('/')),
    uri: segments.map((s) => encodeURIComponent(wellFormed(s))).join('/'),
  };
}
