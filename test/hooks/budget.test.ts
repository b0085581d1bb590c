import * as fc from 'fast-check';
import { DEFAULTS } from '../../src/defaults';
import {
  BudgetSource,
  HOOK_BUDGETS_ANNOTATION,
  formatHookBudgetAnnotation,
  parseExecSleep,
  parseHookBudgetAnnotation,
  parseTimeoutWrapper,
  readHookBudget,
} from '../../src/hooks/budget';
import { ExecTimeout, LifecycleHook, renderLifecycle } from '../../src/hooks/hook';
import { HookPosition } from '../../src/hooks/types';

describe('parseTimeoutWrapper', () => {
  test.each([
    [['timeout', '-s', 'KILL', '15', '/drain'], 15, 'KILL'],
    [['timeout', '10', 'nginx', '-s', 'quit'], 10, 'TERM'],
    [['/usr/bin/timeout', '--signal=KILL', '2m', '/drain'], 120, 'KILL'],
    [['timeout', '-k', '5', '10', '/drain'], 15, 'TERM'],
    [['timeout', '--kill-after=5s', '--preserve-status', '1.5', '/drain'], 7, 'TERM'],
    [['timeout', '-s', 'KILL', '-k', '5', '10', '/drain'], 10, 'KILL'],
    [['/bin/busybox', 'timeout', '-s', 'KILL', '8', '/drain'], 8, 'KILL'],
    [['timeout', '-t', '8', '/drain'], 8, 'TERM'],
    [['timeout', '-sSIGKILL', '4', '--', '/drain'], 4, 'KILL'],
  ])('reads %j as bounded to %p s', (command, seconds, signal) => {
    expect(parseTimeoutWrapper(command)).toEqual({ seconds, signal });
  });

  test.each([
    [['/drain', 'timeout', '10']],
    [['timeout', '0', '/drain']], // 0 disables the timeout
    [['timeout', '10']], // no command to run
    [['timeout', '--weird', '10', '/drain']],
    [['timeout', 'ten', '/drain']],
    [['sh', '-c', 'timeout 10 /drain']],
  ])('does not read %j as a bound', (command) => {
    expect(parseTimeoutWrapper(command)).toBeUndefined();
  });
});

describe('parseExecSleep', () => {
  test.each([
    [['sleep', '5'], 5],
    [['/bin/sleep', '1m'], 60],
    [['sh', '-c', 'sleep 20'], 20],
    [['/bin/sh', '-c', ' exec sleep 3 '], 3],
  ])('reads %j as %p s', (command, seconds) => expect(parseExecSleep(command)).toBe(seconds));

  test.each([[['sleep']], [['sh', '-c', 'sleep 5 && /drain']], [['sleep', 'infinity']]])('does not read %j', (command) => {
    expect(parseExecSleep(command)).toBeUndefined();
  });
});

describe('readHookBudget', () => {
  test('reads sleep seconds, a timeout wrapper, an exec sleep, a declared budget, then the default', () => {
    expect(readHookBudget({ sleep: { seconds: 7 } }, HookPosition.PRE_STOP)).toEqual({ seconds: 7, source: BudgetSource.SLEEP });
    expect(readHookBudget({ exec: { command: ['timeout', '9', '/drain'] } }, HookPosition.PRE_STOP, 30)).toEqual({
      seconds: 9,
      source: BudgetSource.TIMEOUT,
    });
    expect(readHookBudget({ exec: { command: ['sleep', '4'] } }, HookPosition.PRE_STOP)).toEqual({ seconds: 4, source: BudgetSource.EXEC_SLEEP });
    expect(readHookBudget({ httpGet: { port: 80 } }, HookPosition.PRE_STOP, 12)).toEqual({ seconds: 12, source: BudgetSource.DECLARED });
    expect(readHookBudget({ exec: { command: ['/drain'] } }, HookPosition.POST_START)).toEqual({
      seconds: DEFAULTS.postStartBudgetSeconds,
      source: BudgetSource.DEFAULT,
    });
  });

  test('reads back the budget of every exec hook the library renders (property)', () => {
    const arg = fc.string({ minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(
        fc.array(arg, { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 1, max: 3600 }),
        fc.constantFrom(...Object.values(HookPosition)),
        (command, budget, pos) => {
          const json = renderLifecycle({ [pos]: LifecycleHook.exec(command, { budgetSeconds: budget }) });
          const handler = json?.[pos];
          expect(handler).toBeDefined();
          expect(readHookBudget(handler ?? {}, pos)).toEqual({ seconds: budget, source: BudgetSource.TIMEOUT });
        },
      ),
    );
  });

  test('reads back the budget of a busybox-wrapped hook', () => {
    const json = renderLifecycle({
      preStop: LifecycleHook.exec(['/drain'], { budgetSeconds: 6, timeout: ExecTimeout.command(['/bin/busybox', 'timeout']) }),
    });
    expect(readHookBudget(json?.preStop ?? {}, HookPosition.PRE_STOP)).toEqual({ seconds: 6, source: BudgetSource.TIMEOUT });
  });
});

describe('the hook budgets annotation', () => {
  test('is named safe-pods.cdk8s.io/hook-budgets', () => {
    expect(HOOK_BUDGETS_ANNOTATION).toBe('safe-pods.cdk8s.io/hook-budgets');
  });

  test('is written with containers sorted and empty entries left out', () => {
    expect(formatHookBudgetAnnotation({ web: { preStop: 15 }, idle: {}, app: { postStart: 10, preStop: 5, shutdownReserve: 4 } })).toBe(
      '{"app":{"postStart":10,"preStop":5,"shutdownReserve":4},"web":{"preStop":15}}',
    );
    expect(formatHookBudgetAnnotation({ idle: {} })).toBeUndefined();
  });

  test('round-trips through parse (property)', () => {
    const secs = fc.option(fc.integer({ min: 0, max: 10000 }), { nil: undefined });
    const entry = fc.record({ postStart: secs, preStop: secs, shutdownReserve: secs });
    fc.assert(
      fc.property(fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/), entry), (byContainer) => {
        const text = formatHookBudgetAnnotation(byContainer);
        const parsed = parseHookBudgetAnnotation(text);
        expect(parsed.error).toBeUndefined();
        for (const [name, b] of Object.entries(byContainer)) {
          const got = parsed.budgets.get(name) ?? {};
          expect(got).toEqual(Object.fromEntries(Object.entries(b).filter(([, v]) => v !== undefined)));
        }
      }),
    );
  });

  test.each([
    ['not JSON', '{main:', /is not JSON/],
    ['an array', '[1]', /is not a JSON object/],
    ['an unknown key', '{"main":{"prestop":5}}', /unknown key "prestop"/],
    ['a fractional value', '{"main":{"preStop":1.5}}', /not a whole number/],
    ['a string value', '{"main":{"preStop":"5"}}', /not a whole number/],
  ])('reports %s', (_name, text, error) => {
    const parsed = parseHookBudgetAnnotation(text);
    expect(parsed.error).toMatch(error);
    expect(parsed.budgets.size).toBe(0);
  });
});
