/**
 * The generated parts of docs/admission.md: the exported rules with their bindings, and the rules that are not exported
 * or differ at admission, from the catalogue and `ADMISSION_DIFFERENCES` (rule ids are never typed by hand there).
 * Regenerate with `npx ts-node --transpile-only test/admission/docs-tables.ts`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ADMISSION_DIFFERENCES, AdmissionDifferenceKind } from '../../src/admission/differences';
import { ADMISSION_CHECKS, admissionPolicies } from '../../src/admission/policies';
import { KubernetesVersion } from '../../src/k8s/version';
import { readManifestText } from '../../src/io/manifests';
import { RULE_CATALOGUE } from '../../src/rules/catalogue';
import { admit, admitWithPolicies } from './harness';

/** The docs page. */
export const ADMISSION_DOCS = path.join(__dirname, '..', '..', 'docs', 'admission.md');

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** The exported rules: id, binding per target version range, and whether the rule differs at admission. */
export function exportedTable(): string {
  const actions = (v: KubernetesVersion, requireDigest: boolean): Map<string, string> => {
    const set = admissionPolicies({ kubernetesVersion: v, requireDigest });
    return new Map(set.bindings.map((b) => [b.metadata.annotations['safe-pods.cdk8s.io/rules'], b.spec.validationActions.join(', ')]));
  };
  const strict = [actions(KubernetesVersion.V1_30, true), actions(KubernetesVersion.V1_34, true)];
  const plain = [actions(KubernetesVersion.V1_30, false), actions(KubernetesVersion.V1_34, false)];
  const rows = ADMISSION_CHECKS.map((c) => {
    const id = c.rule.id;
    const [early, late] = plain[0].has(id) ? plain : strict;
    const binding = early.get(id) === late.get(id) ? early.get(id)! : `${early.get(id)} (${late.get(id)} from 1.34)`;
    const note = ADMISSION_DIFFERENCES.find((d) => d.rule === id);
    const when = !plain[0].has(id) ? ' (strict mode only)' : !strict[0].has(id) ? ' (not in strict mode)' : '';
    return `| \`${id}\` | ${binding}${when} | ${note ? cell(note.reason) : 'as the judge'} |`;
  });
  return ['| rule | binding | at admission |', '| --- | --- | --- |', ...rows].join('\n');
}

/** The rules that are not exported, with the reason. */
export function notExportedTable(): string {
  const rows = ADMISSION_DIFFERENCES.filter((d) => d.kind === AdmissionDifferenceKind.NOT_EXPORTED).map((d) => {
    const rule = RULE_CATALOGUE.find((r) => r.id === d.rule)!;
    return `| \`${d.rule}\` | ${rule.severity} | ${cell(d.reason.replace(/^Not exported: /, ''))} |`;
  });
  return ['| rule | severity | why it is not exported |', '| --- | --- | --- |', ...rows].join('\n');
}

/** The denial the API server gives for the registry-port bad manifest, evaluated with the policies. */
export function exampleDenial(): string {
  const file = path.join(__dirname, '..', 'fixtures', 'bad-manifests', 'deployment-registry-port.yaml');
  const [{ object }] = readManifestText(fs.readFileSync(file, 'utf8'), file).objects;
  const a = admit(object, KubernetesVersion.V1_30);
  if (!a.admitted) throw new Error(a.reason);
  const [denied] = admitWithPolicies(admissionPolicies(), a.object).denied;
  const o = object as { metadata: { name: string } };
  const text =
    `deployments.apps ${JSON.stringify(o.metadata.name)} is forbidden: ValidatingAdmissionPolicy '${denied.policy}' with binding ` +
    `'${denied.policy}' denied request: ${denied.message}`;
  return ['```text', ...(text.match(/.{1,118}(\s|$)/g) ?? []).map((l) => l.trimEnd()), '```'].join('\n');
}

function replaceBetween(text: string, name: string, body: string): string {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i < 0 || j < i) throw new Error(`docs/admission.md has no ${start} ... ${end} markers`);
  return `${text.slice(0, i + start.length)}\n${body}\n${text.slice(j)}`;
}

/** The docs page with its generated tables brought up to date. */
export function renderAdmissionDocs(text: string): string {
  return replaceBetween(
    replaceBetween(replaceBetween(text, 'admission-exported', exportedTable()), 'admission-not-exported', notExportedTable()),
    'admission-example',
    exampleDenial(),
  );
}

if (require.main === module) {
  fs.writeFileSync(ADMISSION_DOCS, renderAdmissionDocs(fs.readFileSync(ADMISSION_DOCS, 'utf8')));
}
