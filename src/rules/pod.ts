import { validateDns1123Label } from '../k8s/names';
import type { Rule, RuleFinding } from './types';
import { describeContainer } from './normalize';
import { Severity } from './types';

/** A pod needs at least one container. */
export const POD_NO_CONTAINERS: Rule = {
  id: 'pod-no-containers',
  severity: Severity.ERROR,
  title: 'A pod needs at least one container',
  reason: 'ValidatePodSpec: `spec.containers` is Required; the API server rejects a pod (or template) without one.',
  fix: 'Pass `containers` or call `addContainer()`',
  check(subject) {
    for (let ci = 0; ci < subject.containers.length; ci++) if (subject.containers[ci].list === 'containers') return [];
    const field = `${subject.podSpecPath}.containers`;
    // a list of the wrong type, or of null entries, is a field-type-invalid finding
    if (subject.problems.some((p) => p.field.startsWith(field))) return [];
    const what = subject.spec.containers === undefined ? 'is missing (Required value)' : 'is empty (Required value)';
    return [{ field, message: `${field} ${what}; a pod needs at least one container: pass containers or call addContainer()` }];
  },
};

/** Container names known to be DNS labels: an app of thousands of pods repeats a few names (`main`). */
const VALID_NAMES = new Set<string>();

function rememberValid(name: string): void {
  if (VALID_NAMES.size >= 4096) VALID_NAMES.clear();
  VALID_NAMES.add(name);
}

/** Container names must be DNS labels, unique across regular, init and ephemeral containers. */
export const CONTAINER_NAME: Rule = {
  id: 'container-name-invalid',
  severity: Severity.ERROR,
  title: 'Container names are unique DNS-1123 labels',
  reason:
    'validateContainers / validateInitContainers: each name must be a DNS-1123 label and unique across containers, init containers and ephemeral containers ("Duplicate value"). cdk8s-plus names every unnamed container "main".',
  fix: 'Give each container a distinct lower-case `name` (at most 63 characters of a-z, 0-9 and -)',
  check(subject) {
    const out: RuleFinding[] = [];
    // names seen so far, for duplicates (a pod of one container has none)
    const seen = subject.containers.length > 1 ? new Map<string, string>() : undefined;
    for (let ci = 0; ci < subject.containers.length; ci++) {
      const ref = subject.containers[ci];
      const name = ref.name;
      if (name === undefined || name === '') {
        // a name of the wrong JSON type is a field-type-invalid finding
        if (ref.malformed.has('name')) continue;
        out.push({
          field: `${ref.path}.name`,
          message: `${describeContainer(ref)}: name is required (Required value); give the container a lower-case DNS label, e.g. "app"`,
        });
        continue;
      }
      if (!VALID_NAMES.has(name)) {
        const errs = validateDns1123Label(name);
        if (errs.length > 0) {
          out.push({
            field: `${ref.path}.name`,
            container: name,
            message: `${describeContainer(ref)}: the name is invalid (Invalid value: ${errs[0]}); use a lower-case DNS label`,
          });
          continue;
        }
        rememberValid(name);
      }
      const first = seen?.get(name);
      if (first !== undefined) {
        out.push({
          field: `${ref.path}.name`,
          container: name,
          message: `container ${JSON.stringify(name)}: the name is used twice (${first} and ${ref.path}); give every container, init container and ephemeral container its own name`,
        });
      } else {
        seen?.set(name, ref.path);
      }
    }
    return out;
  },
};

/** A field of the wrong JSON type: found while the object is read (`subjectsOf`), reported here. */
export const FIELD_TYPE_INVALID: Rule = {
  id: 'field-type-invalid',
  severity: Severity.ERROR,
  title: 'A field the API server decodes has the wrong JSON type',
  reason:
    'The API server decodes an object into typed Go structs and refuses it when a field has another JSON type ("json: cannot unmarshal ' +
    'bool into Go struct field EnvVar.value of type string"). The classic cause is YAML: kubectl reads YAML 1.1, where unquoted yes, no, ' +
    'on, off, true and false are booleans and unquoted digits are numbers, so `value: yes` or `value: 9080` reaches the API server as a ' +
    'boolean or a number where a string belongs. The field is left out of every other check.',
  fix: 'Give the field the type the message names; quote strings that look like booleans or numbers ("yes", "9080")',
  check(subject) {
    return subject.problems as RuleFinding[];
  },
};

/** Pod-level rules. */
export const POD_RULES: readonly Rule[] = Object.freeze([FIELD_TYPE_INVALID, POD_NO_CONTAINERS, CONTAINER_NAME]);
