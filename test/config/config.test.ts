import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Ajv from 'ajv';
import {
  CONFIG_FILE_NAME,
  ConfigError,
  EMPTY_CONFIG,
  SUPPORTED_KUBERNETES_VERSIONS,
  didYouMean,
  findConfigFile,
  loadConfig,
  parseConfig,
} from '../../src/config';
import { KubernetesVersion } from '../../src/k8s/version';
import { RULE_CATALOGUE } from '../../src/rules/catalogue';

const SCHEMA_FILE = path.join(__dirname, '..', '..', 'docs', 'safe-pods.config.schema.json');
const SCHEMA = JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8'));
const RULE_IDS = RULE_CATALOGUE.map((r) => r.id);
const validateSchema = new Ajv({ allErrors: true, strict: true }).compile(SCHEMA);

function parse(config: unknown): ReturnType<typeof parseConfig> {
  return parseConfig(JSON.stringify(config), CONFIG_FILE_NAME, RULE_IDS);
}

/** The problems of a configuration the loader refuses, as `path: message` lines (fails when it is accepted). */
function problems(config: unknown): string[] {
  try {
    parse(config);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems.map((p) => `${p.path}: ${p.message}`);
  }
  throw new Error(`accepted: ${JSON.stringify(config)}`);
}

const GOOD: ReadonlyArray<[string, unknown]> = [
  ['empty', {}],
  ['$schema only', { $schema: './node_modules/cdk8s-safe-pods/docs/safe-pods.config.schema.json' }],
  [
    'everything',
    {
      kubernetesVersion: '1.30',
      requireDigest: true,
      runtimeClasses: ['gvisor', 'kata-qemu', 'example.com'],
      rules: {
        'image-floating-tag': 'error',
        'image-pull-policy-missing': 'warning',
        'lifecycle-tcp-socket': { severity: 'off', reason: 'the cluster runs a kubelet patched to run them' },
        'env-service-links-too-large': { severity: 'error', reason: 'we have hit ARG_MAX before' },
      },
      warnings: 'fail',
      failOn: 'warning',
    },
  ],
  ['oldest version', { kubernetesVersion: '1.27' }],
  ['newest version', { kubernetesVersion: '1.35' }],
  ['warnings ignore', { warnings: 'ignore' }],
  ['empty lists and objects', { runtimeClasses: [], rules: {} }],
];

const BAD: ReadonlyArray<[string, unknown, RegExp]> = [
  ['not an object', ['1.30'], /^\$: the configuration must be a JSON object/],
  ['null', null, /^\$: the configuration must be a JSON object/],
  ['an unknown key with a near name', { kubernetes_version: '1.30' }, /^\$\.kubernetes_version: unknown setting; did you mean "kubernetesVersion"\?/],
  ['a misspelt key', { runtimeClass: ['gvisor'] }, /did you mean "runtimeClasses"\?/],
  [
    'a version written as a number',
    { kubernetesVersion: 1.3 },
    /^\$\.kubernetesVersion: 1\.3 is a number \(JSON reads 1\.30 as 1\.3\); write the version as a string, e\.g\. "1\.30"$/,
  ],
  ['a version written as a number, two digits', { kubernetesVersion: 1.31 }, /e\.g\. "1\.31"$/],
  [
    'a version missing its zero',
    { kubernetesVersion: '1.3' },
    /^\$\.kubernetesVersion: Kubernetes "1\.3" is not supported \(supported: from "1\.27" to "1\.35"\); did you mean "1\.30"\?$/,
  ],
  ['a version too old', { kubernetesVersion: '1.26' }, /Kubernetes "1\.26" is not supported \(supported: from "1\.27" to "1\.35"\)$/],
  ['a version too new', { kubernetesVersion: '1.36' }, /"1\.36" is not supported/],
  ['a version with a v', { kubernetesVersion: 'v1.30' }, /"v1\.30" is not a version like "1\.30"; write "1\.30"$/],
  ['a version with a patch', { kubernetesVersion: '1.30.2' }, /write "1\.30"$/],
  ['a version of another major', { kubernetesVersion: '2.0' }, /"2\.0" is not a version like "1\.30"; write a version from "1\.27" to "1\.35"$/],
  ['a leading zero', { kubernetesVersion: '1.030' }, /is not a version like "1\.30"/],
  ['a version as an object', { kubernetesVersion: { minor: 30 } }, /is not a version/],
  ['requireDigest as a string', { requireDigest: 'true' }, /^\$\.requireDigest: "true" is not true or false; write true without quotes$/],
  ['requireDigest as a number', { requireDigest: 1 }, /^\$\.requireDigest: 1 is not true or false$/],
  ['runtimeClasses as a string', { runtimeClasses: 'gvisor' }, /^\$\.runtimeClasses: "gvisor" is not a list of RuntimeClass names/],
  [
    'a runtime class that is not a name',
    { runtimeClasses: ['gvisor', 'Kata_QEMU'] },
    /^\$\.runtimeClasses\[1\]: RuntimeClass name "Kata_QEMU" is invalid: a lowercase RFC 1123 subdomain/,
  ],
  ['a runtime class too long', { runtimeClasses: ['a'.repeat(254)] }, /must be no more than 253 characters/],
  ['a runtime class that is a number', { runtimeClasses: [3] }, /^\$\.runtimeClasses\[0\]: 3 is not a RuntimeClass name/],
  ['a runtime class listed twice', { runtimeClasses: ['gvisor', 'gvisor'] }, /^\$\.runtimeClasses\[1\]: "gvisor" is listed twice; remove one$/],
  ['rules as a list', { rules: ['image-floating-tag'] }, /^\$\.rules: \["image-floating-tag"\] is not an object of rule ids/],
  [
    'an unknown rule',
    { rules: { 'image-pinned': 'error' } },
    /^\$\.rules\["image-pinned"\]: unknown rule "image-pinned"; did you mean "image-not-pinned"\?/,
  ],
  [
    'a rule switched off as a string',
    { rules: { 'lifecycle-tcp-socket': 'off' } },
    /^\$\.rules\["lifecycle-tcp-socket"\]: switching a rule off needs a reason; write \{ "severity": "off", "reason": /,
  ],
  [
    'a rule switched off without a reason',
    { rules: { 'lifecycle-tcp-socket': { severity: 'off' } } },
    /^\$\.rules\["lifecycle-tcp-socket"\]: "reason" is missing; say why/,
  ],
  [
    'a rule switched off with an empty reason',
    { rules: { 'lifecycle-tcp-socket': { severity: 'off', reason: '  ' } } },
    /^\$\.rules\["lifecycle-tcp-socket"\]\.reason: " {2}" is not a reason/,
  ],
  [
    'a rule with only a reason',
    { rules: { 'lifecycle-tcp-socket': { reason: 'why' } } },
    /"severity" is missing; write "severity": "error", "warning" or "off"$/,
  ],
  ['a misspelt severity', { rules: { 'image-floating-tag': 'eror' } }, /"eror" is not a severity; .*did you mean "error"\?$/],
  [
    'a severity in capitals',
    { rules: { 'image-floating-tag': { severity: 'Off', reason: 'x' } } },
    /\.severity: "Off" is not "error", "warning" or "off"; did you mean "off"\?$/,
  ],
  [
    'an unknown key in a rule',
    { rules: { 'image-floating-tag': { severity: 'off', reason: 'x', reasons: 'y' } } },
    /\.reasons: unknown key; write only "severity" or "reason"; did you mean "reason"\?$/,
  ],
  ['a rule setting that is a number', { rules: { 'image-floating-tag': 2 } }, /2 is not a severity/],
  ['warnings misspelt', { warnings: 'prnt' }, /^\$\.warnings: "prnt" is not "print", "fail" or "ignore"; did you mean "print"\?$/],
  ['failOn misspelt', { failOn: 'warnings' }, /^\$\.failOn: "warnings" is not "error" or "warning"; did you mean "warning"\?$/],
  ['$schema not a string', { $schema: 7 }, /^\$\.\$schema: 7 is not a schema URL$/],
];

describe('parseConfig', () => {
  test('reads every setting, typed', () => {
    const config = parse(GOOD[2][1]);
    expect(KubernetesVersion.isKubernetesVersion(config.kubernetesVersion)).toBe(true);
    expect(config.kubernetesVersion?.toString()).toBe('1.30');
    expect(config.requireDigest).toBe(true);
    expect(config.runtimeClasses).toEqual(['gvisor', 'kata-qemu', 'example.com']);
    expect(config.rules).toEqual({
      'image-floating-tag': { severity: 'error' },
      'image-pull-policy-missing': { severity: 'warning' },
      'lifecycle-tcp-socket': { severity: 'off', reason: 'the cluster runs a kubelet patched to run them' },
      'env-service-links-too-large': { severity: 'error', reason: 'we have hit ARG_MAX before' },
    });
    expect(config.warnings).toBe('fail');
    expect(config.failOn).toBe('warning');
    expect(Object.isFrozen(config) && Object.isFrozen(config.rules) && Object.isFrozen(config.runtimeClasses)).toBe(true);
  });

  test('leaves out what the file leaves out, so the entry points apply their own defaults', () => {
    expect(parse({})).toEqual({ rules: {} });
    expect(parse({ requireDigest: false })).toEqual({ requireDigest: false, rules: {} });
  });

  test('trims the reason of a rule', () => {
    expect(
      parse({ rules: { 'lifecycle-tcp-socket': { severity: 'off', reason: '  patched kubelet \n' } } }).rules['lifecycle-tcp-socket'].reason,
    ).toBe('patched kubelet');
  });

  test.each(BAD)('refuses %s, naming the path, the value and the fix', (_name, config, expected) => {
    const found = problems(config);
    expect(found.some((p) => expected.test(p))).toBe(true);
  });

  test('lists every problem at once, one line each, under the file name', () => {
    let error: ConfigError | undefined;
    try {
      parseConfig(JSON.stringify({ kubernetesVersion: 1.3, requireDigest: 'yes', colour: 'red' }), 'repo/safe-pods.config.json', RULE_IDS);
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error?.problems).toHaveLength(3);
    expect(error?.file).toBe('repo/safe-pods.config.json');
    expect(error?.message.split('\n')).toEqual([
      'repo/safe-pods.config.json has 3 problems:',
      '  repo/safe-pods.config.json: $.kubernetesVersion: 1.3 is a number (JSON reads 1.30 as 1.3); write the version as a string, e.g. "1.30"',
      '  repo/safe-pods.config.json: $.requireDigest: "yes" is not true or false',
      '  repo/safe-pods.config.json: $.colour: unknown setting; the settings are "kubernetesVersion", "requireDigest", "runtimeClasses", "rules", "warnings" or "failOn"',
    ]);
  });

  test('one problem is a one-line message starting with the file', () => {
    expect(() => parse({ failOn: 'never' })).toThrow(/^safe-pods\.config\.json: \$\.failOn: "never" is not "error" or "warning"$/);
  });

  test('rejects rule ids it was not given, whatever the catalogue says', () => {
    expect(() => parseConfig('{"rules":{"image-floating-tag":"error"}}', 'f.json', ['other-rule'])).toThrow(/unknown rule "image-floating-tag"/);
  });

  test('reports JSON syntax errors with line and column, and what the file format allows', () => {
    const text = '{\n  "kubernetesVersion": "1.30",\n}\n';
    expect(() => parseConfig(text, 'safe-pods.config.json', RULE_IDS)).toThrow(
      /^safe-pods\.config\.json: line 3, column 1: not valid JSON \(.+\); the file is plain JSON: no comments, no trailing commas, keys in double quotes$/,
    );
    expect(() => parseConfig('', 'x.json', RULE_IDS)).toThrow(/^x\.json: .*not valid JSON/);
  });

  test('refuses a key written twice in one object, naming it with its line and column (JSON.parse would keep the last)', () => {
    const text = '{\n  "rules": {\n    "image-floating-tag": "off",\n    "image-floating-tag": "error"\n  }\n}\n';
    expect(() => parseConfig(text, 'safe-pods.config.json', RULE_IDS)).toThrow(
      /^safe-pods\.config\.json: line 4, column 5: "image-floating-tag" is written twice in one object; JSON\.parse keeps only the last/,
    );
    // the same key in two different objects is no duplicate
    const twoObjects = JSON.stringify({
      rules: { 'image-floating-tag': { severity: 'error', reason: 'a' }, 'image-digest-required': { severity: 'warning', reason: 'b' } },
    });
    expect(Object.keys(parseConfig(twoObjects, 'x.json', RULE_IDS).rules)).toEqual(['image-floating-tag', 'image-digest-required']);
  });

  test('ignores a byte order mark', () => {
    expect(parseConfig('\ufeff{"requireDigest": true}', 'x.json', RULE_IDS).requireDigest).toBe(true);
  });
});

describe('the JSON schema docs/safe-pods.config.schema.json', () => {
  test('is a valid draft-07 schema with a rule id enum equal to the rule catalogue', () => {
    const enumIds = SCHEMA.properties.rules.propertyNames.enum;
    if (JSON.stringify(enumIds) !== JSON.stringify(RULE_IDS)) {
      throw new Error(
        `the rule ids of docs/safe-pods.config.schema.json (properties.rules.propertyNames.enum) differ from the catalogue; set them to:\n${JSON.stringify(RULE_IDS, null, 2)}`,
      );
    }
  });

  test.each(GOOD)('accepts what the loader accepts: %s', (_name, config) => {
    expect(() => parse(config)).not.toThrow();
    expect(validateSchema(config)).toBe(true);
  });

  test.each(BAD)('refuses what the loader refuses: %s', (_name, config) => {
    expect(() => parse(config)).toThrow(ConfigError);
    expect(validateSchema(config)).toBe(false);
  });

  test('agrees with the loader on every version string from "1.0" to "1.99", and on near misses', () => {
    const versions = [...Array.from({ length: 100 }, (_, i) => `1.${i}`), 'v1.30', '1.30.0', ' 1.30', '1.30 ', '1.3O', '01.30', '1.030'];
    const disagreements = versions.filter((v) => {
      let loader = true;
      try {
        parse({ kubernetesVersion: v });
      } catch {
        loader = false;
      }
      return loader !== validateSchema({ kubernetesVersion: v });
    });
    expect(disagreements).toEqual([]);
    expect(SUPPORTED_KUBERNETES_VERSIONS.min.toString()).toBe('1.27');
    expect(SUPPORTED_KUBERNETES_VERSIONS.max.toString()).toBe('1.35');
  });

  test('agrees with the loader on every rule of the catalogue, each way it can be set', () => {
    for (const id of RULE_IDS) {
      for (const setting of [
        'error',
        'warning',
        'off',
        { severity: 'off', reason: 'r' },
        { severity: 'off', reason: '' },
        { severity: 'warning', reason: 'r' },
      ]) {
        const config = { rules: { [id]: setting } };
        let loader = true;
        try {
          parse(config);
        } catch {
          loader = false;
        }
        expect([id, setting, validateSchema(config)]).toEqual([id, setting, loader]);
      }
    }
  });
});

describe('didYouMean', () => {
  test('suggests the closest name ignoring case, dashes and underscores, and nothing when none is close', () => {
    expect(didYouMean('kubernetes-version', ['kubernetesVersion', 'requireDigest'])).toBe('kubernetesVersion');
    expect(didYouMean('RequireDigests', ['kubernetesVersion', 'requireDigest'])).toBe('requireDigest');
    expect(didYouMean('colour', ['kubernetesVersion', 'requireDigest'])).toBeUndefined();
    expect(didYouMean('x', [])).toBeUndefined();
  });
});

describe('loadConfig and findConfigFile', () => {
  let tmp: string;

  beforeEach(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'safe-pods-config-')));
  });

  afterEach(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  function write(rel: string, text: string): string {
    const file = path.join(tmp, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    return file;
  }

  test('finds the file at the repository root from a folder deep inside it', () => {
    fs.mkdirSync(path.join(tmp, 'repo', '.git'), { recursive: true });
    write('repo/packages/app/package.json', '{}');
    const file = write(`repo/${CONFIG_FILE_NAME}`, '{"kubernetesVersion": "1.31"}');
    const cwd = path.join(tmp, 'repo', 'packages', 'app', 'src');
    fs.mkdirSync(cwd, { recursive: true });
    expect(findConfigFile(cwd)).toBe(file);
    const config = loadConfig({ cwd, knownRuleIds: RULE_IDS });
    expect(config.file).toBe(file);
    expect(config.kubernetesVersion?.toString()).toBe('1.31');
  });

  test('a nearer file wins over the root one', () => {
    fs.mkdirSync(path.join(tmp, 'repo', '.git'), { recursive: true });
    write(`repo/${CONFIG_FILE_NAME}`, '{}');
    const near = write(`repo/app/${CONFIG_FILE_NAME}`, '{}');
    expect(findConfigFile(path.join(tmp, 'repo', 'app'))).toBe(near);
  });

  test('does not look above the repository root (.git), even when a parent folder has a file', () => {
    write(CONFIG_FILE_NAME, '{"kubernetesVersion": 1.3}');
    fs.mkdirSync(path.join(tmp, 'repo', '.git'), { recursive: true });
    fs.mkdirSync(path.join(tmp, 'repo', 'app'), { recursive: true });
    expect(findConfigFile(path.join(tmp, 'repo', 'app'))).toBeUndefined();
    expect(loadConfig({ cwd: path.join(tmp, 'repo', 'app'), knownRuleIds: RULE_IDS })).toBe(EMPTY_CONFIG);
  });

  test('a .git file (a git worktree) marks the root too', () => {
    write(CONFIG_FILE_NAME, '{}');
    write('wt/.git', 'gitdir: /elsewhere\n');
    expect(findConfigFile(path.join(tmp, 'wt'))).toBeUndefined();
    const file = write(`wt/${CONFIG_FILE_NAME}`, '{}');
    expect(findConfigFile(path.join(tmp, 'wt'))).toBe(file);
  });

  test('outside a git repository, stops at the nearest package.json', () => {
    write(CONFIG_FILE_NAME, '{}');
    write('project/package.json', '{}');
    fs.mkdirSync(path.join(tmp, 'project', 'src'), { recursive: true });
    expect(findConfigFile(path.join(tmp, 'project', 'src'))).toBeUndefined();
    const file = write(`project/${CONFIG_FILE_NAME}`, '{}');
    expect(findConfigFile(path.join(tmp, 'project', 'src'))).toBe(file);
  });

  test('with no file, returns the empty configuration', () => {
    fs.mkdirSync(path.join(tmp, '.git'));
    expect(loadConfig({ cwd: tmp, knownRuleIds: RULE_IDS })).toEqual({ rules: {} });
  });

  test('a folder named like the file is not the file', () => {
    fs.mkdirSync(path.join(tmp, '.git'));
    fs.mkdirSync(path.join(tmp, CONFIG_FILE_NAME));
    expect(findConfigFile(tmp)).toBeUndefined();
  });

  test('an explicit path is read relative to cwd, and must exist', () => {
    const file = write('conf/ci.json', '{"failOn": "warning"}');
    expect(loadConfig({ cwd: tmp, path: 'conf/ci.json', knownRuleIds: RULE_IDS })).toEqual({ file, failOn: 'warning', rules: {} });
    expect(() => loadConfig({ cwd: tmp, path: 'conf/missing.json', knownRuleIds: RULE_IDS })).toThrow(
      /^conf\/missing\.json: \$: cannot read the configuration: the file does not exist$/,
    );
    expect(() => loadConfig({ cwd: tmp, path: 'conf', knownRuleIds: RULE_IDS })).toThrow(/it is a folder, not a file/);
  });

  test('errors name the file relative to cwd', () => {
    fs.mkdirSync(path.join(tmp, '.git'));
    write(CONFIG_FILE_NAME, '{"kubernetesVersion": "1.3"}');
    expect(() => loadConfig({ cwd: tmp, knownRuleIds: RULE_IDS })).toThrow(
      /^safe-pods\.config\.json: \$\.kubernetesVersion: Kubernetes "1\.3" is not supported/,
    );
    fs.mkdirSync(path.join(tmp, 'sub'));
    expect(() => loadConfig({ cwd: path.join(tmp, 'sub'), knownRuleIds: RULE_IDS })).toThrow(
      new RegExp(`^${path.join(tmp, CONFIG_FILE_NAME).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `),
    );
  });
});
