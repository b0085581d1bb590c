import * as fs from 'fs';
import * as path from 'path';

let version: string | undefined;

/**
 * The version of this package (`cdk8s-safe-pods --version`, the SARIF tool version), read from its package.json on
 * first use: two folders up from `src/cli` and from `lib/cli` alike.
 */
export function packageVersion(): string {
  if (version === undefined) {
    try {
      version = (JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
    } catch {
      version = '0.0.0-unknown';
    }
  }
  return version;
}
