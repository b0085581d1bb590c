import { validateDns1123Label } from '../k8s/names';
import type { Rule, RuleFinding } from './types';
import { containersOf, Severity } from './types';

/** A pod needs at least one container. */
export const POD_NO_CONTAINERS: Rule = {
  id: 'pod-no-containers',
  severity: Severity.ERROR,
  title: 'A pod needs at least one container',
  reason: 'ValidatePodSpec: `spec.containers` is Required; the API server rejects a pod (or template) without one.',
  fix: 'Pass `containers` or call `addContainer()`',
  check(subject) {
    const n = subject.podSpec.containers?.length ?? 0;
    return n > 0
      ? []
      : [
          {
            field: `${subject.podSpecPath}.containers`,
            message: `${subject.podSpecPath}.containers is empty; a pod needs at least one container: pass containers or call addContainer()`,
          },
        ];
  },
};

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
    const seen = new Map<string, string>();
    for (const ref of containersOf(subject)) {
      const name = ref.container.name;
      const errs = validateDns1123Label(name ?? '');
      if (errs.length > 0) {
        out.push({
          field: `${ref.path}.name`,
          container: name,
          message: `container ${JSON.stringify(name)}: the name is invalid: ${errs[0]}; use a lower-case DNS label`,
        });
        continue;
      }
      const first = seen.get(name);
      if (first !== undefined) {
        out.push({
          field: `${ref.path}.name`,
          container: name,
          message: `container ${JSON.stringify(name)}: the name is used twice (${first} and ${ref.path}); give every container, init container and ephemeral container its own name`,
        });
      } else {
        seen.set(name, ref.path);
      }
    }
    return out;
  },
};

/** Pod-level rules. */
export const POD_RULES: readonly Rule[] = Object.freeze([POD_NO_CONTAINERS, CONTAINER_NAME]);
