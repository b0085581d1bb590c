/**
 * The repository-wide settings file, `safe-pods.config.json`: its typed form and its strict validation.
 *
 * Every entry point (the settings of a cdk8s app, the chart guard, the validation plugin, the CLI) reads the same
 * file, so a team sets the target version, strict digests, rule severities and known RuntimeClasses in one place.
 * Precedence, highest first: explicit settings in code or flags, then this file, then `DEFAULTS`.
 *
 * This module knows nothing of the rule catalogue (a lower floor): callers pass the known rule ids.
 */
import { load, YAMLException } from 'js-yaml';
import { Severity } from '../defaults';
import { ManifestError } from '../k8s/errors';
import { KubernetesVersion } from '../k8s/version';
import { validateDns1123Subdomain } from '../k8s/names';

/** The name of the settings file, looked for in the working directory and its parents up to the repository root. */
export const CONFIG_FILE_NAME = 'safe-pods.config.json';

/** The Kubernetes versions a configuration may target: the oldest (cdk8s-plus-27's API) and the newest known. */
export const SUPPORTED_KUBERNETES_VERSIONS = Object.freeze({ min: KubernetesVersion.V1_27, max: KubernetesVersion.of('1.35') });

/** A rule severity as the configuration file writes it. */
export type ConfigSeverity = 'error' | 'warning';

/** What the configuration does with a rule: a severity, or `off`. */
export type ConfigRuleSeverity = ConfigSeverity | 'off';

/** What to do with warnings at synth time (the values of `WarningMode`). */
export type ConfigWarningMode = 'print' | 'fail' | 'ignore';

/** A rule's severity as the configuration file sets it. */
export interface RuleOverride {
  /** The severity the rule's findings get, or `off` (the rule is not run). */
  readonly severity: ConfigRuleSeverity;
  /**
   * Why: required (not empty) to switch a rule off, and shown wherever the configuration is reported.
   *
   * @default - no reason given (a severity change written as a plain string)
   */
  readonly reason?: string;
}

/** A validated configuration file; a setting the file leaves out is `undefined` (the entry point's default applies). */
export interface SafePodsConfig {
  /**
   * The absolute path of the file read.
   *
   * @default - no file was found: every setting is undefined and `rules` is empty
   */
  readonly file?: string;
  /**
   * The Kubernetes version the manifests are written for.
   *
   * @default - not set: `DEFAULTS.kubernetesVersion`
   */
  readonly kubernetesVersion?: KubernetesVersion;
  /**
   * Require every image to be pinned by digest.
   *
   * @default - not set: `DEFAULTS.requireDigest`
   */
  readonly requireDigest?: boolean;
  /**
   * RuntimeClasses the cluster provides (installed by the platform, not synthesized by the app).
   *
   * @default - not set: only the RuntimeClasses among the objects are known
   */
  readonly runtimeClasses?: readonly string[];
  /** Rule id → the severity the configuration sets for it (empty when none). */
  readonly rules: Readonly<Record<string, RuleOverride>>;
  /**
   * What SafePods do with warnings at synth time.
   *
   * @default - not set: `DEFAULTS.warnings`
   */
  readonly warnings?: ConfigWarningMode;
  /**
   * The lowest severity that fails the check (the CLI's exit code, the plugin's report).
   *
   * @default - not set: `error`
   */
  readonly failOn?: ConfigSeverity;
}

/** One thing wrong in a configuration file. */
export interface ConfigProblem {
  /** Where, as a JSON path from the root: `$.rules["image-not-pinned"].reason`. */
  readonly path: string;
  /** What is wrong, with the offending value quoted and how to fix it. */
  readonly message: string;
}

/** A configuration file that cannot be read, is not JSON, or breaks the schema; `problems` lists every issue. */
export class ConfigError extends ManifestError {
  /** The file, as named in the message. */
  public readonly file: string;
  /** Every problem found (at least one). */
  public readonly problems: readonly ConfigProblem[];

  /** Makes the error of a file with its problems (one line per problem in the message). */
  constructor(file: string, problems: readonly ConfigProblem[]) {
    const lines = problems.map((p) => `${file}: ${p.path}: ${p.message}`);
    super(lines.length === 1 ? lines[0] : `${file} has ${lines.length} problems:\n  ${lines.join('\n  ')}`, problems[0]?.path, { path: file });
    this.name = 'ConfigError';
    this.file = file;
    this.problems = Object.freeze([...problems]);
  }
}

const SETTINGS = ['$schema', 'kubernetesVersion', 'requireDigest', 'runtimeClasses', 'rules', 'warnings', 'failOn'] as const;
const RULE_KEYS = ['severity', 'reason'] as const;
const SEVERITIES: readonly ConfigSeverity[] = ['error', 'warning'];
const RULE_SEVERITIES: readonly ConfigRuleSeverity[] = ['error', 'warning', 'off'];
const WARNING_MODES: readonly ConfigWarningMode[] = ['print', 'fail', 'ignore'];

function quote(x: unknown): string {
  return JSON.stringify(x) ?? String(x);
}

function isObject(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

/** `$.rules["image-not-pinned"]`: the JSON path of a key (dotted when it is an identifier). */
function child(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? `${path}.${key}` : `${path}[${quote(key)}]`;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

/** The candidate closest to `given` (ignoring case, `-` and `_`), when it is close enough to be a typo. */
export function didYouMean(given: string, candidates: readonly string[]): string | undefined {
  const norm = (s: string): string => s.toLowerCase().replace(/[-_\s]/g, '');
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(norm(given), norm(candidate));
    if (!best || distance < best.distance) best = { candidate, distance };
  }
  if (!best) return undefined;
  return best.distance <= Math.max(2, Math.floor(best.candidate.length / 3)) ? best.candidate : undefined;
}

function suggestion(given: string, candidates: readonly string[]): string {
  const close = didYouMean(given, candidates);
  return close !== undefined ? `; did you mean ${quote(close)}?` : '';
}

function oneOf(values: readonly string[]): string {
  const q = values.map(quote);
  return q.length <= 2 ? q.join(' or ') : `${q.slice(0, -1).join(', ')} or ${q[q.length - 1]}`;
}

/** The version the user most likely meant by a minor written without its trailing zero (`1.3` → `1.30`). */
function versionGuess(text: string): string | undefined {
  const m = /^v?1\.(\d+)(?:\.\d+)?$/.exec(text.trim());
  if (!m) return undefined;
  const candidates = [m[1], `${m[1]}0`].map((minor) => `1.${Number(minor)}`);
  return candidates.find((v) => inRange(KubernetesVersion.of(v)));
}

function inRange(v: KubernetesVersion): boolean {
  return v.isAtLeast(SUPPORTED_KUBERNETES_VERSIONS.min) && SUPPORTED_KUBERNETES_VERSIONS.max.isAtLeast(v);
}

const RANGE = `from "${SUPPORTED_KUBERNETES_VERSIONS.min}" to "${SUPPORTED_KUBERNETES_VERSIONS.max}"`;

function kubernetesVersion(value: unknown, problem: (message: string) => void): KubernetesVersion | undefined {
  if (typeof value === 'number') {
    const guess = versionGuess(String(value));
    problem(
      `${value} is a number (JSON reads 1.30 as 1.3); write the version as a string, e.g. ${quote(guess ?? `${SUPPORTED_KUBERNETES_VERSIONS.min}`)}`,
    );
    return undefined;
  }
  if (typeof value !== 'string') {
    problem(`${quote(value)} is not a version; write a string ${RANGE}, e.g. "1.30"`);
    return undefined;
  }
  const m = /^1\.(0|[1-9]\d{0,2})$/.exec(value);
  if (!m) {
    const guess = versionGuess(value);
    problem(`${quote(value)} is not a version like "1.30"${guess !== undefined ? `; write ${quote(guess)}` : `; write a version ${RANGE}`}`);
    return undefined;
  }
  const version = KubernetesVersion.of(value);
  if (!inRange(version)) {
    const guess = versionGuess(value);
    problem(`Kubernetes ${quote(value)} is not supported (supported: ${RANGE})${guess !== undefined ? `; did you mean ${quote(guess)}?` : ''}`);
    return undefined;
  }
  return version;
}

function runtimeClasses(value: unknown, at: string, problem: (path: string, message: string) => void): string[] | undefined {
  if (!Array.isArray(value)) {
    problem(at, `${quote(value)} is not a list of RuntimeClass names; write e.g. ["gvisor", "kata-qemu"]`);
    return undefined;
  }
  const seen = new Set<string>();
  let ok = true;
  value.forEach((name: unknown, i) => {
    const p = child(at, i);
    if (typeof name !== 'string') {
      problem(p, `${quote(name)} is not a RuntimeClass name (a string such as "gvisor")`);
      ok = false;
    } else if (seen.has(name)) {
      problem(p, `${quote(name)} is listed twice; remove one`);
      ok = false;
    } else {
      seen.add(name);
      for (const e of validateDns1123Subdomain(name)) {
        problem(p, `RuntimeClass name ${quote(name)} is invalid: ${e}`);
        ok = false;
      }
    }
  });
  return ok ? (value as string[]) : undefined;
}

function ruleOverride(value: unknown, at: string, problem: (path: string, message: string) => void): RuleOverride | undefined {
  if (typeof value === 'string') {
    if ((SEVERITIES as readonly string[]).includes(value)) return Object.freeze({ severity: value as ConfigSeverity });
    if (value === 'off') {
      problem(at, `switching a rule off needs a reason; write { "severity": "off", "reason": "<why the rule does not apply here>" }`);
    } else {
      problem(
        at,
        `${quote(value)} is not a severity; write ${oneOf(SEVERITIES)}, or { "severity": "off", "reason": "<why>" }${suggestion(value, RULE_SEVERITIES)}`,
      );
    }
    return undefined;
  }
  if (!isObject(value)) {
    problem(at, `${quote(value)} is not a severity; write "error", "warning", or { "severity": "off", "reason": "<why>" }`);
    return undefined;
  }
  let ok = true;
  for (const key of Object.keys(value)) {
    if (!(RULE_KEYS as readonly string[]).includes(key)) {
      problem(child(at, key), `unknown key; write only ${oneOf(RULE_KEYS)}${suggestion(key, RULE_KEYS)}`);
      ok = false;
    }
  }
  const { severity, reason } = value;
  if (severity === undefined) {
    problem(at, `"severity" is missing; write "severity": ${oneOf(RULE_SEVERITIES)}`);
    ok = false;
  } else if (typeof severity !== 'string' || !(RULE_SEVERITIES as readonly string[]).includes(severity)) {
    const hint = typeof severity === 'string' ? suggestion(severity, RULE_SEVERITIES) : '';
    problem(child(at, 'severity'), `${quote(severity)} is not ${oneOf(RULE_SEVERITIES)}${hint}`);
    ok = false;
  }
  if (reason === undefined) {
    problem(at, `"reason" is missing; say why, e.g. "reason": "the platform team pins these images by digest at admission"`);
    ok = false;
  } else if (typeof reason !== 'string' || reason.trim() === '') {
    problem(child(at, 'reason'), `${quote(reason)} is not a reason; write a sentence saying why`);
    ok = false;
  }
  return ok ? Object.freeze({ severity: severity as ConfigRuleSeverity, reason: (reason as string).trim() }) : undefined;
}

function rules(
  value: unknown,
  at: string,
  knownRuleIds: readonly string[],
  problem: (path: string, message: string) => void,
): Record<string, RuleOverride> | undefined {
  if (!isObject(value)) {
    problem(at, `${quote(value)} is not an object of rule ids; write e.g. { "image-floating-tag": "error" }`);
    return undefined;
  }
  const out: Record<string, RuleOverride> = {};
  let ok = true;
  for (const [id, setting] of Object.entries(value)) {
    const p = child(at, id);
    if (!knownRuleIds.includes(id)) {
      problem(p, `unknown rule ${quote(id)}${suggestion(id, knownRuleIds)} (\`cdk8s-safe-pods rules\` lists them)`);
      ok = false;
      continue;
    }
    const override = ruleOverride(setting, p, problem);
    if (override) out[id] = override;
    else ok = false;
  }
  return ok ? out : undefined;
}

function choice<T extends string>(value: unknown, allowed: readonly T[], problem: (message: string) => void): T | undefined {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  const hint = typeof value === 'string' ? suggestion(value, allowed) : '';
  problem(`${quote(value)} is not ${oneOf(allowed)}${hint}`);
  return undefined;
}

/**
 * Validates a parsed configuration (`file` names it in messages) and returns it typed and frozen. Throws a
 * `ConfigError` listing every problem: unknown keys (with a did-you-mean), wrong types, a version outside the
 * supported range or written as a number, unknown rule ids, a rule switched off without a reason.
 */
export function validateConfig(value: unknown, file: string, knownRuleIds: readonly string[]): SafePodsConfig {
  const problems: ConfigProblem[] = [];
  const problem = (path: string, message: string): void => {
    problems.push({ path, message });
  };
  if (!isObject(value)) {
    throw new ConfigError(file, [{ path: '$', message: `the configuration must be a JSON object, e.g. { "kubernetesVersion": "1.30" }` }]);
  }
  const config: { -readonly [K in keyof SafePodsConfig]: SafePodsConfig[K] } = { rules: {} };
  for (const [key, v] of Object.entries(value)) {
    const at = child('$', key);
    const here = (message: string): void => problem(at, message);
    switch (key) {
      case '$schema':
        if (typeof v !== 'string') here(`${quote(v)} is not a schema URL`);
        break;
      case 'kubernetesVersion':
        config.kubernetesVersion = kubernetesVersion(v, here);
        break;
      case 'requireDigest':
        if (typeof v === 'boolean') config.requireDigest = v;
        else here(`${quote(v)} is not true or false${v === 'true' || v === 'false' ? `; write ${v} without quotes` : ''}`);
        break;
      case 'runtimeClasses':
        config.runtimeClasses = runtimeClasses(v, at, problem);
        break;
      case 'rules':
        config.rules = rules(v, at, knownRuleIds, problem) ?? {};
        break;
      case 'warnings':
        config.warnings = choice(v, WARNING_MODES, here);
        break;
      case 'failOn':
        config.failOn = choice(v, SEVERITIES, here);
        break;
      default:
        here(`unknown setting${suggestion(key, SETTINGS)}; the settings are ${oneOf(SETTINGS.filter((s) => s !== '$schema'))}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(file, problems);
  return Object.freeze({
    ...(config.kubernetesVersion !== undefined ? { kubernetesVersion: config.kubernetesVersion } : {}),
    ...(config.requireDigest !== undefined ? { requireDigest: config.requireDigest } : {}),
    ...(config.runtimeClasses !== undefined ? { runtimeClasses: Object.freeze([...config.runtimeClasses]) } : {}),
    rules: Object.freeze(config.rules),
    ...(config.warnings !== undefined ? { warnings: config.warnings } : {}),
    ...(config.failOn !== undefined ? { failOn: config.failOn } : {}),
  });
}

/** Line and column (from 1) of a character offset. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

/**
 * Parses and validates the text of a configuration file (`file` names it in messages; a leading byte order mark is
 * ignored). Throws a `ConfigError` when the text is not JSON (with the line and column) or breaks the schema.
 */
export function parseConfig(text: string, file: string, knownRuleIds: readonly string[]): SafePodsConfig {
  const body = text.replace(/^\ufeff/, '');
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (e) {
    const message = (e as Error).message;
    const offset = /at position (\d+)/.exec(message);
    const where = offset ? lineAndColumn(body, Number(offset[1])) : undefined;
    const reason = message.replace(/ in JSON at position \d+.*$/, '').replace(/^JSON\.parse: /, '');
    throw new ConfigError(file, [
      {
        path: where ? `line ${where.line}, column ${where.column}` : '$',
        message: `not valid JSON (${reason}); the file is plain JSON: no comments, no trailing commas, keys in double quotes`,
      },
    ]);
  }
  const duplicate = duplicatedKey(body);
  if (duplicate !== undefined) {
    throw new ConfigError(file, [
      {
        path: `line ${duplicate.line}, column ${duplicate.column}`,
        message: `${duplicate.key} is written twice in one object; JSON.parse keeps only the last, so the earlier setting would be lost silently: keep one`,
      },
    ]);
  }
  return validateConfig(value, file, knownRuleIds);
}

/**
 * The first key written twice in one object of valid JSON, found with js-yaml (JSON is YAML, and js-yaml refuses a
 * duplicated key where `JSON.parse` silently keeps the last); `undefined` when there is none.
 */
function duplicatedKey(body: string): { readonly key: string; readonly line: number; readonly column: number } | undefined {
  try {
    load(body);
    return undefined;
  } catch (e) {
    if (!(e instanceof YAMLException) || e.reason !== 'duplicated mapping key') return undefined;
    const token = /^"(?:[^"\\]|\\.)*"/.exec(body.slice(e.mark.position));
    return { key: token ? token[0] : 'a key', line: e.mark.line + 1, column: e.mark.column + 1 };
  }
}

/** The rule settings of a configuration as the judge takes them: rule id → severity or `off`. */
export function ruleSettingsOf(config: SafePodsConfig): ReadonlyMap<string, Severity | 'off'> {
  const out = new Map<string, Severity | 'off'>();
  for (const [id, o] of Object.entries(config.rules))
    out.set(id, o.severity === 'off' ? 'off' : o.severity === 'error' ? Severity.ERROR : Severity.WARNING);
  return out;
}
