import * as path from 'path';
import { escapeGithubData, escapeGithubProperty, formatGithub } from '../../../src/cli/formats/github';
import { STDIN_FILE_NAME } from '../../../src/cli/formats/paths';
import { ODD_FILE_NAMES, finding, report } from './sample';

const CWD = path.resolve('/repo');

/**
 * Parses one workflow command line the way the runner does (actions/runner ActionCommand.cs `TryParseV2`: the
 * command name up to a space or `::`, properties split at `,` then at the first `=`, each unescaped), so the tests
 * check what GitHub will read, not what the formatter meant to write.
 */
function parseCommand(line: string): { command: string; properties: Record<string, string>; data: string } | undefined {
  if (!line.startsWith('::')) return undefined;
  const end = line.indexOf('::', 2);
  if (end < 0) return undefined;
  const head = line.slice(2, end);
  const space = head.indexOf(' ');
  const command = space < 0 ? head : head.slice(0, space);
  const properties: Record<string, string> = {};
  if (space >= 0) {
    for (const pair of head.slice(space + 1).split(',')) {
      const eq = pair.indexOf('=');
      properties[pair.slice(0, eq)] = unescapeProperty(pair.slice(eq + 1));
    }
  }
  return { command, properties, data: unescapeData(line.slice(end + 2)) };
}

function unescapeData(s: string): string {
  return s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}

function unescapeProperty(s: string): string {
  return s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
}

function lines(text: string): string[] {
  expect(text.endsWith('\n')).toBe(true);
  return text.slice(0, -1).split('\n');
}

describe('formatGithub', () => {
  test('writes one ::error or ::warning command per finding with file, line, col and the rule as title, then a summary', () => {
    const out = lines(
      formatGithub(
        report({
          findings: [
            finding({ file: 'dist/b.yaml', line: 4, column: 7 }),
            finding({
              file: 'dist/a.yaml',
              line: 9,
              column: undefined,
              rule: 'image-floating-tag',
              severity: 'warning',
              message: 'tag "stable" moves',
            }),
          ],
        }),
        { cwd: CWD },
      ),
    );
    expect(out).toEqual([
      '::warning file=dist/a.yaml,line=9,title=image-floating-tag::Deployment "prod/web": tag "stable" moves',
      `::error file=dist/b.yaml,line=4,col=7,title=image-not-pinned::Deployment "prod/web": ${finding().message}`,
      'cdk8s-safe-pods: 1 error, 1 warning in 3 objects (2 files); not judged: 1 ConfigMap',
    ]);
  });

  test('escapes data as the Actions toolkit does: %, CR and LF', () => {
    expect(escapeGithubData('100% done\r\nnext: a,b')).toBe('100%25 done%0D%0Anext: a,b');
  });

  test('escapes properties as the Actions toolkit does: %, CR, LF, colon and comma', () => {
    expect(escapeGithubProperty('a%b\r\nc:d,e')).toBe('a%25b%0D%0Ac%3Ad%2Ce');
    // `%` first, so an input that looks like an escape stays itself
    expect(escapeGithubProperty('%3A')).toBe('%253A');
  });

  test.each(ODD_FILE_NAMES)('a file named %j stays one command, and the runner reads the name back', (file) => {
    const out = lines(formatGithub(report({ findings: [finding({ file, message: 'bad\n::error::injected' })] }), { cwd: CWD }));
    expect(out).toHaveLength(2);
    const parsed = parseCommand(out[0]);
    expect(parsed?.command).toBe('error');
    // the name as the runner reads it (lone surrogates are not text: they come back as U+FFFD)
    expect(parsed?.properties.file).toBe(file.replace(/[\ud800-\udbff](?![\udc00-\udfff])/g, '\ufffd'));
    expect(parsed?.properties).toMatchObject({ line: '12', col: '18', title: 'image-not-pinned' });
    expect(parsed?.data).toBe('Deployment "prod/web": bad\n::error::injected');
    expect(out.filter((l) => l.startsWith('::'))).toHaveLength(1);
  });

  test('paths are relative to cwd with / separators; files outside it are absolute', () => {
    const out = lines(
      formatGithub(report({ findings: [finding({ file: path.join(CWD, 'k8s', 'x.yaml') }), finding({ file: '../elsewhere.yaml' })] }), {
        cwd: CWD,
      }),
    );
    expect(parseCommand(out[0])?.properties.file).toBe(path.resolve(CWD, '../elsewhere.yaml'));
    expect(parseCommand(out[1])?.properties.file).toBe('k8s/x.yaml');
  });

  test('a finding from standard input has no file property and names <stdin> in the message', () => {
    const [line] = lines(formatGithub(report({ findings: [finding({ file: STDIN_FILE_NAME, line: 3 })] }), { cwd: CWD }));
    const parsed = parseCommand(line);
    expect(parsed?.properties).toEqual({ title: 'image-not-pinned' });
    expect(parsed?.data).toMatch(/^<stdin>:3: Deployment "prod\/web": /);
  });

  test('shows the construct path next to the object', () => {
    const [line] = lines(formatGithub(report({ findings: [finding({ constructPath: 'prod/web/Resource' })] }), { cwd: CWD }));
    expect(parseCommand(line)?.data).toMatch(/^Deployment "prod\/web" \(construct "prod\/web\/Resource"\): /);
  });

  test('reports files that could not be read as ::error commands before the findings', () => {
    const out = lines(
      formatGithub(
        report({
          findings: [finding()],
          errors: [
            { file: 'broken.yaml', line: 2, column: 1, message: 'bad indentation of a mapping entry' },
            { file: STDIN_FILE_NAME, message: 'not YAML' },
          ],
        }),
        { cwd: CWD },
      ),
    );
    expect(out[0]).toBe('::error file=broken.yaml,line=2,col=1,title=cdk8s-safe-pods::bad indentation of a mapping entry');
    expect(out[1]).toBe('::error title=cdk8s-safe-pods::<stdin>: not YAML');
    expect(out[2]).toMatch(/^::error file=dist\/prod.k8s.yaml,/);
    expect(out[3]).toMatch(/; 2 files could not be read$/);
  });

  test('sorts findings by file, line and rule', () => {
    const out = lines(
      formatGithub(
        report({
          findings: [
            finding({ file: 'b.yaml', line: 1 }),
            finding({ file: 'a.yaml', line: 7, rule: 'lifecycle-tcp-socket' }),
            finding({ file: 'a.yaml', line: 7, rule: 'image-floating-tag', severity: 'warning' }),
          ],
        }),
        { cwd: CWD },
      ),
    );
    expect(out.slice(0, 3).map((l) => `${parseCommand(l)?.properties.file}:${parseCommand(l)?.properties.title}`)).toEqual([
      'a.yaml:image-floating-tag',
      'a.yaml:lifecycle-tcp-socket',
      'b.yaml:image-not-pinned',
    ]);
  });

  test('with nothing found, prints only the summary', () => {
    expect(formatGithub(report({ objects: { judged: 0, notJudged: {} }, files: 0 }), { cwd: CWD })).toBe(
      'cdk8s-safe-pods: 0 errors, 0 warnings in 0 objects (0 files)\n',
    );
  });
});
