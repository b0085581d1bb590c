import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { ValidationContext } from 'cdk8s-cli/lib/plugins/validation';
import { SafePodsValidation } from '../../src/plugin';
import type { PluginValidationContext } from '../../src/plugin';
import type { Rule } from '../../src/rules/types';
import { Severity } from '../../src/rules/types';

// the real class, loaded by path (cdk8s-cli's `exports` map only exposes `./plugins`, which is the same class)

const { ValidationContext: RealValidationContext } = require(
  path.join(path.dirname(require.resolve('cdk8s-cli/package.json')), 'lib', 'plugins', 'validation'),
);

/** Compile-time check: the cdk8s CLI's context is what the plugin accepts. */
const fits = (ctx: ValidationContext): PluginValidationContext => ctx;

const IMAGE_RULE: Rule = {
  id: 'test-image',
  severity: Severity.ERROR,
  title: 'Images are pinned',
  reason: 'test',
  fix: 'Pin the image by tag or digest',
  check: (s) =>
    s.containers
      .filter((c) => c.list === 'containers')
      .flatMap(({ container: c, path }) => {
        const field = `${path}.image`;
        if (c.image?.endsWith(':latest'))
          return [{ message: `container ${JSON.stringify(c.name)}: image ${JSON.stringify(c.image)} uses "latest"`, field, container: c.name }];
        if (c.image !== undefined && !c.image.includes(':'))
          return [{ message: `container ${JSON.stringify(c.name)}: no tag`, field, container: c.name, severity: Severity.WARNING }];
        return [];
      }),
};

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'safe-pods-plugin-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function manifest(name: string, images: Record<string, string>): string {
  const file = path.join(dir, name);
  const docs = Object.entries(images).map(
    ([pod, image]) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${pod}\nspec:\n  containers:\n    - name: main\n      image: ${image}\n`,
  );
  fs.writeFileSync(file, docs.join('---\n'));
  return file;
}

function context(manifests: string[], metadata: Record<string, { path: string }>): ValidationContext {
  return new RealValidationContext(manifests, 'cdk8s-safe-pods', '0.1.0', metadata, false);
}

describe('SafePodsValidation', () => {
  test('fails the report on errors, naming the rule, the construct path, the field, its line and the message', async () => {
    const file = manifest('prod.k8s.yaml', { 'prod-web-c8d2d375': 'nginx:latest', 'prod-ok-c8aaaaaa': 'nginx:1.27.3' });
    const ctx = context([file], { 'prod-web-c8d2d375': { path: 'prod/web' }, 'prod-ok-c8aaaaaa': { path: 'prod/ok' } });
    await new SafePodsValidation({ configFile: false }, [IMAGE_RULE]).validate(fits(ctx));
    const report = ctx.report.toJson();
    expect(report.summary).toMatchObject({ status: 'failure', metadata: { Errors: '1', Warnings: '0', 'Kubernetes version': '1.27' } });
    expect(report.violations).toEqual([
      {
        ruleName: 'test-image',
        recommendation: 'error: Images are pinned',
        fix: 'Pin the image by tag or digest',
        violatingConstructs: [
          {
            constructPath: 'prod/web',
            resourceName: 'prod-web-c8d2d375',
            manifestPath: file,
            locations: [
              'spec.containers[0].image (line 8): error test-image: Pod "prod-web-c8d2d375": container "main": image "nginx:latest" uses "latest"',
            ],
          },
        ],
      },
    ]);
    expect(ctx.report.toString()).toMatch(/Construct Path: prod\/web/);
  });

  test('reports warnings without failing, as a separate violation from errors of the same rule', async () => {
    const file = manifest('a.yaml', { a: 'nginx', b: 'redis:latest' });
    const ctx = context([file], {});
    await new SafePodsValidation({ configFile: false }, [IMAGE_RULE]).validate(fits(ctx));
    expect(ctx.report.toJson().violations.map((v) => [v.ruleName, v.recommendation, v.violatingConstructs.map((c) => c.resourceName)])).toEqual([
      ['test-image', 'warning: Images are pinned', ['a']],
      ['test-image', 'error: Images are pinned', ['b']],
    ]);
    const warningsOnly = context([manifest('b.yaml', { a: 'nginx' })], {});
    await new SafePodsValidation({ configFile: false }, [IMAGE_RULE]).validate(fits(warningsOnly));
    expect(warningsOnly.report.success).toBe(true);
  });

  test('succeeds with no violations when every pod passes, and sees objects across manifests', async () => {
    const rcRule: Rule = {
      ...IMAGE_RULE,
      id: 'test-rc',
      check: (s, ctx) =>
        s.spec.runtimeClassName && !ctx.runtimeClasses?.has(s.spec.runtimeClassName) ? [{ message: 'unknown', field: 'spec.runtimeClassName' }] : [],
    };
    fs.writeFileSync(path.join(dir, 'rc.yaml'), 'apiVersion: node.k8s.io/v1\nkind: RuntimeClass\nmetadata: {name: kata}\nhandler: kata\n');
    fs.writeFileSync(path.join(dir, 'pod.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {runtimeClassName: kata, containers: []}\n');
    fs.writeFileSync(path.join(dir, 'gv.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: g}\nspec: {runtimeClassName: gvisor, containers: []}\n');
    const ok = context([path.join(dir, 'rc.yaml'), path.join(dir, 'pod.yaml')], {});
    await new SafePodsValidation({ configFile: false }, [rcRule]).validate(fits(ok));
    expect(ok.report.toJson()).toMatchObject({ violations: [], summary: { status: 'success' } });
    const gv = context([path.join(dir, 'gv.yaml')], {});
    await new SafePodsValidation({ runtimeClasses: ['gvisor'], configFile: false }, [rcRule]).validate(fits(gv));
    expect(gv.report.success).toBe(true);
    const unknown = context([path.join(dir, 'gv.yaml')], {});
    await new SafePodsValidation({ configFile: false }, [rcRule]).validate(fits(unknown));
    expect(unknown.report.success).toBe(false);
  });

  test('passes kubernetesVersion and requireDigest to the rules', async () => {
    const seen: string[] = [];
    const spy: Rule = { ...IMAGE_RULE, check: (_s, ctx) => (seen.push(`${ctx.kubernetesVersion} ${ctx.requireDigest}`), []) };
    const file = manifest('a.yaml', { a: 'nginx:1.27.3' });
    await new SafePodsValidation({ kubernetesVersion: '1.30', requireDigest: true }, [spy]).validate(fits(context([file], {})));
    await new SafePodsValidation({ configFile: false }, [spy]).validate(fits(context([file], {})));
    expect(seen).toEqual(['1.30 true', '1.27 false']);
  });

  test('reads the repository configuration file, and its own properties win over it', async () => {
    const seen: string[] = [];
    const spy: Rule = { ...IMAGE_RULE, id: 'spy', check: (_s, ctx) => (seen.push(`${ctx.kubernetesVersion} ${ctx.requireDigest}`), []) };
    const file = path.join(dir, 'empty.yaml');
    fs.writeFileSync(file, 'apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec: { containers: [{ name: c, image: "x:1" }] }\n');
    const config = path.join(dir, 'safe-pods.config.json');
    fs.writeFileSync(config, JSON.stringify({ kubernetesVersion: '1.31', requireDigest: true }));
    await new SafePodsValidation({ configFile: config }, [spy]).validate(fits(context([file], {})));
    await new SafePodsValidation({ configFile: config, kubernetesVersion: '1.33' }, [spy]).validate(fits(context([file], {})));
    expect(seen).toEqual(['1.31 true', '1.33 true']);
  });

  test.each([
    [{ kubernetesVersoin: '1.30' }, /unknown property "kubernetesVersoin"; use "kubernetesVersion", "requireDigest", "runtimeClasses"/],
    [{ kubernetesVersion: 1.3 }, /kubernetesVersion 1.3 is a YAML number; quote it, e\.g\. "1.30"/],
    [{ kubernetesVersion: 'latest' }, /Kubernetes version "latest" is not a version/],
    [{ requireDigest: 'yes' }, /requireDigest "yes" is not true or false/],
    [{ runtimeClasses: 'kata' }, /runtimeClasses "kata" is not a list of names/],
  ])('rejects the properties %p', (props, message) => {
    expect(() => new SafePodsValidation(props as never)).toThrow(message);
  });
});
