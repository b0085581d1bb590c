/**
 * The lifecycle hook rules at admission: where hooks are allowed, what the API server of the target version rejects,
 * what the kubelet never runs (`tcpSocket`, `host`), and the time budgets that the hook JSON makes visible (native
 * `sleep`, an exec `sleep N`, a `timeout` wrapper), read exactly as the judge's `readHookBudget` reads them.
 *
 * The `safe-pods.cdk8s.io/hook-budgets` annotation is JSON, and Kubernetes CEL has no JSON decoding, so a policy
 * cannot read a declared budget. The budget rules therefore leave alone every container the annotation names (its
 * key `"<name>"` appears in the value) and judge the others with the defaults, as the judge does for containers the
 * annotation does not declare.
 */
import { DEFAULTS } from '../defaults';
import { RULES } from '../rules/catalogue';
import { defaultBudgetSeconds } from '../hooks/budget';
import { HookPosition, HOOK_POSITIONS } from '../hooks/types';
import { sidecarsSupported, SleepSupport, sleepSupport } from '../hooks/validate';
import { subjectsOf } from '../rules/normalize';
import type { Severity } from '../rules/types';
import { and, basename, ifThen, indexList, matches, not, or, quoted, str, strList, v, record } from './cel';
import { catalogueRule } from './catalogue';
import type { AdmissionCheck, AdmissionVariable, CheckContext } from './check';
import { DURATION, HTTP_HEADER_NAME, JS_LINE_TERMINATORS, JS_SPACE_CHARS, PORT_NAME_CHARS, SHELL_SLEEP } from './patterns';
import { suppressedFor } from './subject';

const NOT_ALLOWED = catalogueRule('lifecycle-not-allowed');
const HANDLER_INVALID = catalogueRule('lifecycle-handler-invalid');
const TCP_SOCKET = catalogueRule('lifecycle-tcp-socket');
const HOST_SET = catalogueRule('lifecycle-host-set');
const PRESTOP_EXCEEDS_GRACE = catalogueRule('lifecycle-prestop-exceeds-grace');
const EXEC_UNBOUNDED = catalogueRule('lifecycle-exec-unbounded');
const POSTSTART_UNBOUNDED = catalogueRule('lifecycle-poststart-unbounded');

/**
 * How many arguments of a `timeout` command the policy reads: the wrapper's options and its duration must be among
 * them. A longer option list (never written by hand) is not recognised, and the hook is judged as unwrapped.
 */
export const TIMEOUT_MAX_ARGS = 32;

function carry(r: string, keys: readonly string[]): Record<string, string> {
  return Object.fromEntries(keys.map((k) => [k, `${r}.${k}`]));
}

/** Whether the container record `x` may have hooks on the target (regular containers; sidecars from 1.29). */
function hooksAllowed(ctx: CheckContext, x: string): string {
  const sidecar = and(`${x}.list == 'initContainers'`, `has(${x}.c.restartPolicy)`, `${x}.c.restartPolicy == 'Always'`);
  return sidecarsSupported(ctx.kubernetesVersion) ? or(`${x}.list == 'containers'`, sidecar) : `${x}.list == 'containers'`;
}

// ---- the timeout wrapper, as parseTimeoutWrapper reads it -------------------------------------------------------------

const FLAGS = ['--preserve-status', '--foreground', '-v', '--verbose', '-f', '-p'];

/**
 * The class of one argument after `timeout`, as the judge's option loop sees it at an option position: `D` for `--`,
 * `s`/`k`/`t` for `-s`/`-k`/`-t` whose value is the next argument, `S`/`K`/`T` for those with the value inline, `F` a
 * flag, `U` an unknown option (the judge gives up), `W` anything else (the duration or the command). The judge matches
 * `^(?:-s|--signal=?)(.*)$`, where `.` excludes line terminators: an argument with one is not an option with a value.
 * Prefix tests and list membership do the same work as those expressions for less CEL cost.
 */
function argClass(a: string): string {
  const lineTerminator = matches(a, `[${JS_LINE_TERMINATORS}]`);
  const option = (exact: readonly string[], prefixes: readonly string[], lower: string, upper: string, next: string): string =>
    ifThen(
      `${a} in ${strList(exact)}`,
      `'${lower}'`,
      ifThen(and(or(...prefixes.map((p) => `${a}.startsWith(${str(p)})`)), not(lineTerminator)), `'${upper}'`, next),
    );
  const unknown = ifThen(`${a} in ${strList(FLAGS)}`, "'F'", ifThen(`${a}.startsWith('-') && size(${a}) > 1`, "'U'", "'W'"));
  const classified = ifThen(
    `${a} == '--'`,
    "'D'",
    option(
      ['-s', '--signal', '--signal='],
      ['-s', '--signal'],
      's',
      'S',
      option(['-k', '--kill-after', '--kill-after='], ['-k', '--kill-after'], 'k', 'K', option(['-t'], ['-t'], 't', 'T', unknown)),
    ),
  );
  return ifThen(`${a}.startsWith('-')`, classified, "'W'");
}

/** The options of the loop, then the argument the loop stops at: `[SKTF]` take one argument, `[skt]` two. */
const OPTIONS = '^(?:[SKTF]|[skt].)*$';

/** The inline value of an `S`/`K`/`T` argument (what `(.*)` captures after the option). */
function inlineValue(a: string, long: string): string {
  return ifThen(
    `${a}.startsWith(${str(`${long}=`)})`,
    `${a}.substring(${long.length + 1})`,
    ifThen(`${a}.startsWith(${str(long)})`, `${a}.substring(${long.length})`, `${a}.substring(2)`),
  );
}

/** The value of the option at argument index `j` of record `r` (inline, or the next argument). */
function optionValue(r: string, j: string, long: string | undefined): string {
  const a = `${r}.args[${j}]`;
  const inline = long === undefined ? `${a}.substring(2)` : inlineValue(a, long);
  return ifThen(`${r}.cls.charAt(${j}) in ['s', 'k', 't']`, `${r}.args[${j} + 1]`, inline);
}

/** `parseDuration` of a text that matches `DURATION`: seconds, as a double (`Number(n) * unit`, as the judge computes it). */
function durationSeconds(text: string): string {
  const factor = ifThen(
    `${text}.endsWith('d')`,
    '86400.0',
    ifThen(`${text}.endsWith('h')`, '3600.0', ifThen(`${text}.endsWith('m')`, '60.0', '1.0')),
  );
  const number = ifThen(`${text}.matches('[smhd]$')`, `${text}.substring(0, size(${text}) - 1)`, text);
  return `(double(${number}) * ${factor})`;
}

/** The text with every character JavaScript's `\s` matches removed. */
function stripSpace(text: string): string {
  return JS_SPACE_CHARS.reduce((acc, ch) => `${acc}.replace(${str(ch)}, '')`, `(${text})`);
}

/**
 * The hooks of every container that may have hooks, with the analysis of their exec command, in stages (CEL in
 * Kubernetes 1.30 has no `let`): `hooks` lists them, `hookArgs` classifies the arguments of a `timeout` wrapper,
 * `hookBounds` finds where its option loop stops, `hookOptions` reads the option values, `hookTimeouts` the duration
 * and kill-after texts, and `hookBudgets` gives each hook its budget `source` (`sleep`, `timeout`, `exec-sleep`,
 * `default`), `execSource` (the same for the exec command alone) and `seconds` (before rounding up).
 */
export const HOOK_VARIABLES: readonly AdmissionVariable[] = Object.freeze([
  {
    name: 'hooks',
    uses: ['containers'],
    expression: (ctx: CheckContext) =>
      HOOK_POSITIONS.map(
        (p) =>
          `${v('containers')}.filter(x, ${and(hooksAllowed(ctx, 'x'), 'has(x.c.lifecycle)', `has(x.c.lifecycle.${p})`)}).map(x, ${record({
            kind: 'x.kind',
            name: 'x.name',
            position: str(p),
            h: `x.c.lifecycle.${p}`,
            cmd: `has(x.c.lifecycle.${p}.exec) && has(x.c.lifecycle.${p}.exec.command) ? x.c.lifecycle.${p}.exec.command : []`,
          })})`,
      ).join(' + '),
  },
  {
    name: 'hookArgs',
    uses: ['hooks'],
    expression: () => {
      const pre = ifThen(
        and('size(r.cmd) > 1', `${basename('r.cmd[0]')} in ['busybox', 'toybox']`, "r.cmd[1] == 'timeout'"),
        '2',
        ifThen(and('size(r.cmd) > 0', `${basename('r.cmd[0]')} == 'timeout'`), '1', '0'),
      );
      return `${v('hooks')}.map(r, ${record({ ...carry('r', ['kind', 'name', 'position', 'h', 'cmd']), pre })}).map(r, ${record({
        ...carry('r', ['kind', 'name', 'position', 'h', 'cmd', 'pre']),
        n: 'size(r.cmd) - r.pre',
        args: `r.pre == 0 ? [] : ${indexList(TIMEOUT_MAX_ARGS)}.filter(i, i < size(r.cmd) - r.pre).map(i, r.cmd[i + r.pre])`,
      })}).map(r, ${record({ ...carry('r', ['kind', 'name', 'position', 'h', 'cmd', 'pre', 'n', 'args']), cls: `r.args.map(a, ${argClass('a')}).join()` })})`;
    },
  },
  {
    name: 'hookBounds',
    uses: ['hookArgs'],
    expression: () => {
      const bounds = `${indexList(TIMEOUT_MAX_ARGS)}.filter(j, j < size(r.cls) && r.cls.substring(0, j).matches(${str(OPTIONS)}))`;
      const stops = `${bounds}.filter(j, r.cls.charAt(j) in ['D', 'W', 'U'])`;
      return `${v('hookArgs')}.map(r, ${record({
        ...carry('r', ['kind', 'name', 'position', 'h', 'cmd', 'pre', 'n', 'args', 'cls']),
        bounds,
        stop: ifThen(`size(${stops}) > 0`, `${stops}[0]`, '-1'),
      })})`;
    },
  },
  {
    name: 'hookOptions',
    uses: ['hookBounds'],
    expression: () => {
      const values = (lower: string, long: string | undefined): string =>
        `r.bounds.filter(j, j < r.stop && r.cls.charAt(j) in ['${lower}', '${lower.toUpperCase()}']).map(j, ${optionValue('r', 'j', long)})`;
      return `${v('hookBounds')}.map(r, ${record({
        ...carry('r', ['kind', 'name', 'position', 'h', 'cmd', 'pre', 'n', 'args', 'cls', 'stop']),
        signals: values('s', '--signal'),
        kills: values('k', '--kill-after'),
        durations: values('t', undefined),
        at: ifThen("r.stop >= 0 && r.cls.charAt(r.stop) == 'D'", 'r.stop + 1', 'r.stop'),
      })})`;
    },
  },
  {
    name: 'hookTimeouts',
    uses: ['hookOptions'],
    expression: () => {
      const last = (l: string): string => `${l}[size(${l}) - 1]`;
      // `.replace(/^SIG/i, '')` (ASCII case-insensitive), then `.toUpperCase()`, of which only KILL and 9 matter: the one
      // non-ASCII letter that upper-cases into them is the dotless i
      const raw = last('r.signals');
      const stripped = ifThen(`${raw}.lowerAscii().startsWith('sig')`, `${raw}.substring(3)`, raw);
      const signalName = `${stripped}.replace(${str('\u0131')}, 'i').upperAscii()`;
      const killNow = and('size(r.signals) > 0', `${signalName} in ['KILL', '9']`);
      const ok = and(
        'r.pre > 0',
        'r.stop >= 0',
        "r.cls.charAt(r.stop) != 'U'",
        `r.kills.all(d, ${matches('d', DURATION)})`,
        `r.durations.all(d, ${matches('d', DURATION)})`,
      );
      const shellText = stripSpace("r.cmd[2].substring(r.cmd[2].lastIndexOf('sleep') + 5)");
      const execSleepDirect = and('size(r.cmd) == 2', `${basename('r.cmd[0]')} == 'sleep'`, matches('r.cmd[1]', DURATION));
      const execSleepShell = and(
        'size(r.cmd) == 3',
        `${basename('r.cmd[0]')} in ['sh', 'bash', 'ash', 'dash']`,
        "r.cmd[1] == '-c'",
        matches('r.cmd[2]', SHELL_SLEEP),
      );
      return `${v('hookOptions')}.map(r, ${record({
        ...carry('r', ['kind', 'name', 'position', 'h', 'cmd', 'n']),
        ok: ifThen(ok, "'y'", "'n'"),
        sleepText: ifThen(execSleepDirect, 'r.cmd[1]', ifThen(execSleepShell, shellText, "''")),
        durText: ifThen('size(r.durations) > 0', last('r.durations'), ifThen('r.at >= 0 && r.at < r.n', 'r.cmd[r.pre + r.at]', "''")),
        next: ifThen('size(r.durations) > 0', 'r.at', 'r.at + 1'),
        killText: ifThen(or(killNow, 'size(r.kills) == 0'), "''", last('r.kills')),
      })})`;
    },
  },
  {
    name: 'hookBudgets',
    uses: ['hookTimeouts'],
    expression: () => {
      const wrapped = and("r.ok == 'y'", matches('r.durText', DURATION), `${durationSeconds('r.durText')} != 0.0`, 'r.next < r.n');
      const wrapperSeconds = `${durationSeconds('r.durText')} + ${ifThen("r.killText == ''", '0.0', durationSeconds('r.killText'))}`;
      const execSource = ifThen(wrapped, "'timeout'", ifThen("r.sleepText != ''", "'exec-sleep'", "'default'"));
      const execSeconds = ifThen(wrapped, wrapperSeconds, ifThen("r.sleepText != ''", durationSeconds('r.sleepText'), '0.0'));
      const native = 'has(r.h.sleep) && has(r.h.sleep.seconds)';
      return `${v('hookTimeouts')}.map(r, ${record({ ...carry('r', ['kind', 'name', 'position', 'h', 'cmd']), execSource, execSeconds })}).map(r, ${record(
        {
          ...carry('r', ['kind', 'name', 'position', 'h', 'cmd', 'execSource', 'execSeconds']),
          source: ifThen(native, "'sleep'", 'r.execSource'),
          seconds: ifThen(
            native,
            'double(r.h.sleep.seconds)',
            ifThen(
              "r.execSource == 'default'",
              ifThen(
                `r.position == ${str(HookPosition.POST_START)}`,
                `${defaultBudgetSeconds(HookPosition.POST_START)}.0`,
                `${defaultBudgetSeconds(HookPosition.PRE_STOP)}.0`,
              ),
              'r.execSeconds',
            ),
          ),
        },
      )})`;
    },
  },
] as AdmissionVariable[]);

/** Whether the hook-budgets annotation names the container `name` (then its declared budgets cannot be read). */
function declaresBudgets(name: string): string {
  return `${v('budgets')}.contains('"' + ${name} + '"')`;
}

function who(r: string): string {
  return `${r}.kind + ' ' + ${quoted(`${r}.name`)}`;
}

/** `list.filter(r, cond && not suppressed).map(r, description)`. */
function each(ruleId: string, list: string, cond: string, describe: string): string {
  return `${list}.filter(r, ${and(cond, not(suppressedFor(ruleId, 'r.name')))}).map(r, ${describe})`;
}

/** A port the API server refuses (`ValidatePortNumOrName`); `has` is the presence test of the field. */
function portInvalid(has: string, port: string): string {
  const nameInvalid = or(
    `size(${port}) > 15`,
    not(matches(port, PORT_NAME_CHARS)),
    not(matches(port, '[a-z]')),
    `${port}.contains('--')`,
    `${port}.startsWith('-')`,
    `${port}.endsWith('-')`,
  );
  return or(not(has), ifThen(`type(${port}) == string`, nameInvalid, `${port} < 1 || ${port} > 65535`));
}

/** `validateHandler` of the API server of the target version, over a hook record `r` (after `SetDefaults_HTTPGetAction`). */
function handlerInvalid(ctx: CheckContext): string {
  const h = 'r.h';
  const count = ['exec', 'httpGet', 'tcpSocket', 'sleep'].map((f) => `(has(${h}.${f}) ? 1 : 0)`).join(' + ');
  const g = `${h}.httpGet`;
  const httpGet = or(
    and(`has(${g}.scheme)`, `${g}.scheme != ''`, `!(${g}.scheme in ['HTTP', 'HTTPS'])`),
    portInvalid(`has(${g}.port)`, `${g}.port`),
    and(`has(${g}.httpHeaders)`, `${g}.httpHeaders.exists(x, ${or('!has(x.name)', not(matches('x.name', HTTP_HEADER_NAME)))})`),
  );
  const seconds = `(has(${h}.sleep.seconds) ? ${h}.sleep.seconds : 0)`;
  const zeroAllowed = sleepSupport(ctx.kubernetesVersion) === SleepSupport.NON_NEGATIVE;
  const sleep = zeroAllowed ? `${seconds} < 0 || ${seconds} > ${v('grace')}` : `${seconds} <= 0 || ${seconds} > ${v('grace')}`;
  return or(
    `${count} != 1`,
    and(`has(${h}.exec)`, or(`!has(${h}.exec.command)`, `size(${h}.exec.command) == 0`)),
    and(`has(${h}.httpGet)`, httpGet),
    and(`has(${h}.tcpSocket)`, portInvalid(`has(${h}.tcpSocket.port)`, `${h}.tcpSocket.port`)),
    and(`has(${h}.sleep)`, sleep),
  );
}

const NOT_ALLOWED_CHECK: AdmissionCheck = {
  rule: NOT_ALLOWED,
  uses: ['containers', 'suppressed'],
  violations: (ctx) =>
    each(
      NOT_ALLOWED.id,
      v('containers'),
      and("r.list != 'containers'", 'has(r.c.lifecycle)', not(hooksAllowed(ctx, 'r'))),
      `${who('r')} + ': lifecycle is set, but the API server refuses hooks ' + ` +
        `${ifThen("r.list == 'ephemeralContainers'", "'on ephemeral containers'", '\'on init containers without restartPolicy "Always"\'')}`,
    ),
};

const HANDLER_INVALID_CHECK: AdmissionCheck = {
  rule: HANDLER_INVALID,
  uses: ['containers', 'suppressed', 'grace', 'hooks'],
  violations: (ctx) =>
    each(
      HANDLER_INVALID.id,
      v('hooks'),
      handlerInvalid(ctx),
      `${who('r')} + ': ' + r.position + ' is rejected by the Kubernetes ${ctx.kubernetesVersion} API server ` +
        `(one handler of exec with a command, httpGet or tcpSocket with a valid port, or sleep within the grace period)'`,
    ),
};

const TCP_SOCKET_CHECK: AdmissionCheck = {
  rule: TCP_SOCKET,
  uses: ['containers', 'suppressed', 'hooks'],
  violations: () =>
    each(
      TCP_SOCKET.id,
      v('hooks'),
      'has(r.h.tcpSocket)',
      `${who('r')} + ': ' + r.position + ' uses tcpSocket, which the API accepts but the kubelet never runs; use httpGet, exec or sleep'`,
    ),
};

/**
 * The severity the judge's rule gives an httpGet `host` finding on the target (it raises it to an error from 1.34),
 * read from the rule itself on a witness pod; `undefined` where the rule leaves it to its catalogue severity.
 */
function hostSetSeverity(ctx: CheckContext): Severity | undefined {
  const rule = RULES.find((r) => r.id === HOST_SET.id)!;
  const [witness] = subjectsOf({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'witness' },
    spec: { containers: [{ name: 'c', image: 'c:1', lifecycle: { preStop: { httpGet: { port: 80, host: 'example.com' } } } }] },
  });
  return rule.check(witness, { kubernetesVersion: ctx.kubernetesVersion, requireDigest: ctx.requireDigest })[0]?.severity;
}

const HOST_SET_CHECK: AdmissionCheck = {
  rule: HOST_SET,
  uses: ['containers', 'suppressed', 'hooks'],
  reportedSeverity: hostSetSeverity,
  violations: () =>
    each(
      HOST_SET.id,
      v('hooks'),
      "has(r.h.httpGet) && has(r.h.httpGet.host) && r.h.httpGet.host != ''",
      `${who('r')} + ': ' + r.position + ' httpGet sets host ' + ${quoted('r.h.httpGet.host')} + ', which sends the kubelet request away from the pod; remove host'`,
    ),
};

const BUDGET_USES = ['containers', 'suppressed', 'grace', 'budgets', 'hookBudgets'];

const PRESTOP_CHECK: AdmissionCheck = {
  rule: PRESTOP_EXCEEDS_GRACE,
  uses: BUDGET_USES,
  violations: () => {
    const reserve = DEFAULTS.shutdownReserveSeconds;
    const budget = 'r.seconds';
    const rounded = `string(int(${budget}) + (double(int(${budget})) < ${budget} ? 1 : 0))`;
    return each(
      PRESTOP_EXCEEDS_GRACE.id,
      v('hookBudgets'),
      and(
        `r.position == ${str(HookPosition.PRE_STOP)}`,
        not(declaresBudgets('r.name')),
        or(`${budget} > double(${v('grace')} - ${reserve})`, `${v('grace')} == 0`),
      ),
      `${who('r')} + ': preStop budget ' + ${rounded} + ' s + shutdown reserve ${reserve} s does not fit in terminationGracePeriodSeconds ' + ` +
        `string(${v('grace')}) + '; raise terminationGracePeriodSeconds or shorten the hook'`,
    );
  },
};

const EXEC_UNBOUNDED_CHECK: AdmissionCheck = {
  rule: EXEC_UNBOUNDED,
  uses: BUDGET_USES,
  violations: () =>
    each(
      EXEC_UNBOUNDED.id,
      v('hookBudgets'),
      // only postStart: the kubelet cuts a preStop hook off at the grace period (lifecycle-prestop-exceeds-grace judges it)
      and(`r.position == ${str(HookPosition.POST_START)}`, 'size(r.cmd) > 0', "r.execSource == 'default'", not(declaresBudgets('r.name'))),
      `${who('r')} + ': postStart exec has no time bound, and Kubernetes puts no timeout on exec hooks, so a hang keeps the container ` +
        `out of Running; wrap it in timeout -s KILL <seconds>'`,
    ),
};

const POSTSTART_UNBOUNDED_CHECK: AdmissionCheck = {
  rule: POSTSTART_UNBOUNDED,
  uses: ['containers', 'suppressed', 'budgets', 'hooks'],
  violations: () =>
    each(
      POSTSTART_UNBOUNDED.id,
      v('hooks'),
      and(`r.position == ${str(HookPosition.POST_START)}`, 'has(r.h.httpGet)', not(declaresBudgets('r.name'))),
      `${who('r')} + ': postStart httpGet has no time bound (the kubelet HTTP client has no timeout); use an exec hook wrapped in timeout'`,
    ),
};

/** The lifecycle checks, in catalogue order. */
export const LIFECYCLE_CHECKS: readonly AdmissionCheck[] = Object.freeze([
  NOT_ALLOWED_CHECK,
  HANDLER_INVALID_CHECK,
  TCP_SOCKET_CHECK,
  HOST_SET_CHECK,
  PRESTOP_CHECK,
  EXEC_UNBOUNDED_CHECK,
  POSTSTART_UNBOUNDED_CHECK,
]);
