/**
 * Rules of the container environment: service-link collisions and size, `$(VAR)` references that never resolve,
 * env var names, `valueFrom` and downward-API paths.
 */
import { DEFAULTS } from '../defaults';
import { variableReferences } from '../env/expansion';
import { envFieldRefProblems, resourceFieldRefProblems } from '../env/field-refs';
import { masterServiceFacts, serviceEnvEntries, envEntryBytes, isMasterService, type ServiceEnvEntry } from '../env/service-env';
import { shellScriptIndexes } from '../env/shell';
import { prefixMappingImage } from '../env/prefix-images';
import { ImageReference } from '../image/reference';
import { validateEnvVarName, validateRelaxedEnvVarName } from '../k8s/names';
import { KubernetesVersion } from '../k8s/version';
import type { ServiceFacts } from '../k8s/shapes';
import type { PodSubject, Rule, RuleFinding } from './types';
import type { ContainerRef, EnvRef } from './normalize';
import { Severity } from './types';
import { describeContainer } from './normalize';

// ---- the namespace's injected variables, computed once per (services array, namespace, links) ---------------------

/** The service-link variables of one namespace, indexed for the checks. */
interface NamespaceEnv {
  /** Every injected variable (namespace Services, and `default/kubernetes`), by name. */
  readonly all: ReadonlyMap<string, ServiceEnvEntry>;
  /** Variables of Services in the pod's namespace (what an author can rename or unlink), by name. */
  readonly local: ReadonlyMap<string, ServiceEnvEntry>;
  /** Size of the injected block, `NAME=value\0` summed. */
  readonly bytes: number;
  /** Number of Services whose variables are injected. */
  readonly serviceCount: number;
}

const UNSET_NAMESPACE = '\u0000unset';
const cache = new WeakMap<readonly ServiceFacts[], Map<string, NamespaceEnv>>();
const NO_SERVICES: readonly ServiceFacts[] = Object.freeze([]);

function computeNamespaceEnv(services: readonly ServiceFacts[], podNamespace: string | undefined, links: boolean): NamespaceEnv {
  const facts = services.some((s) => isMasterService(s, podNamespace)) ? services : [...services, masterServiceFacts()];
  const entries = serviceEnvEntries(facts, { podNamespace, enableServiceLinks: links });
  const all = new Map<string, ServiceEnvEntry>();
  const local = new Map<string, ServiceEnvEntry>();
  const linked = new Set<ServiceFacts>();
  const given = new Set(services);
  let bytes = 0;
  for (const e of entries) {
    all.set(e.name, e);
    linked.add(e.service);
    bytes += envEntryBytes(e.name, e.value);
    // default/kubernetes is injected with links on or off, so neither unlinking nor renaming applies to it
    const inNamespace = given.has(e.service) && (e.service.namespace === undefined || e.service.namespace === podNamespace);
    if (!inNamespace || isMasterService(e.service, podNamespace)) continue;
    local.set(e.name, e);
  }
  return { all, local, bytes, serviceCount: linked.size };
}

/** The namespace's injected variables for a subject, from the cache (computed once per namespace). */
function namespaceEnv(subject: PodSubject, services: readonly ServiceFacts[] | undefined): NamespaceEnv {
  const list = services ?? NO_SERVICES;
  let perList = cache.get(list);
  if (!perList) cache.set(list, (perList = new Map()));
  const links = linksEnabled(subject);
  const key = `${links ? 1 : 0}${subject.namespace ?? UNSET_NAMESPACE}`;
  let env = perList.get(key);
  if (!env) perList.set(key, (env = computeNamespaceEnv(list, subject.namespace, links)));
  return env;
}

/** `enableServiceLinks` absent means true (SetDefaults_Pod; templates create Pods with true). */
function linksEnabled(subject: PodSubject): boolean {
  return subject.spec.enableServiceLinks !== false;
}

function describeService(s: ServiceFacts): string {
  const name = s.namespace ? `${s.namespace}/${s.name}` : s.name;
  return s.origin && s.origin !== s.name ? `Service ${JSON.stringify(name)} (${s.origin})` : `Service ${JSON.stringify(name)}`;
}

function linkFix(subject: PodSubject): string {
  return subject.spec.enableServiceLinks === true ? 'set enableServiceLinks: false' : 'set enableServiceLinks: false explicitly (absent means true)';
}

// ---- service links ------------------------------------------------------------------------------------------------

const SERVICE_LINK_PREFIX: Rule = {
  id: 'env-service-link-prefix',
  severity: Severity.ERROR,
  title: "A Service injects a variable that the container's image reads as its own setting and refuses",
  reason:
    'With service links on, the kubelet injects <SVC>_SERVICE_HOST, <SVC>_PORT=tcp://<ip>:<port>, ... for every Service in the namespace ' +
    '(kubelet_pods.go getServiceEnvVarMap, envvars.go FromServices). Some images read every variable under a prefix as configuration and ' +
    'exit on names that are deprecated settings: confluentinc/cp-kafka stops on KAFKA_PORT ("port is deprecated"), so a Service named ' +
    '`kafka` next to it crash-loops the broker; cp-schema-registry stops on SCHEMA_REGISTRY_PORT. The evidence is the image (a table of ' +
    'images and the variables they stop on, each with its source, in src/env/prefix-images.ts), never a shared prefix alone: ' +
    'FRONTEND_ADDR next to a Service `frontend` is read by exact name and collides with nothing.',
  fix: 'Set enableServiceLinks: false (SafePod does by default) and reach Services by DNS name; or rename the Service',
  check(subject, ctx) {
    if (!ctx.services || !linksEnabled(subject)) return [];
    const ns = namespaceEnv(subject, ctx.services);
    if (ns.local.size === 0) return [];
    const out: RuleFinding[] = [];
    for (let ci = 0; ci < subject.containers.length; ci++) {
      const ref = subject.containers[ci];
      const image = ref.container.image === undefined ? undefined : ImageReference.tryParse(ref.container.image);
      const known = image && prefixMappingImage(image.familiarName);
      if (!known) continue;
      const own = new Set(ref.env.map((e) => e.name));
      for (const [name, refusal] of Object.entries(known.fatal)) {
        const hit = ns.local.get(name);
        if (!hit || own.has(name)) continue;
        out.push({
          container: ref.name,
          field: `${ref.path}.image`,
          message:
            `${describeContainer(ref)}: ${describeService(hit.service)} injects ${JSON.stringify(`${hit.name}=${hit.value}`)}, and image ` +
            `${JSON.stringify(image.familiarName)} reads ${known.prefix}_* variables as its settings and exits on ${name} ` +
            `(${JSON.stringify(refusal)}, ${known.source}); ${linkFix(subject)} or rename the Service`,
        });
      }
    }
    return out;
  },
};

const SERVICE_LINK_COLLISION: Rule = {
  id: 'env-service-link-collision',
  severity: Severity.WARNING,
  title: 'A container variable has the name of an injected service-link variable',
  reason:
    "The container's env wins over a service-link variable of the same name (makeEnvironmentVariables), so the app works only while " +
    'the entry stays; remove it, or run the same image elsewhere, and the app reads the injected value instead.',
  fix: 'Set enableServiceLinks: false (SafePod does by default), or rename the variable or the Service',
  check(subject, ctx) {
    if (!ctx.services || !linksEnabled(subject)) return [];
    const ns = namespaceEnv(subject, ctx.services);
    if (ns.local.size === 0) return [];
    const out: RuleFinding[] = [];
    for (let ci = 0; ci < subject.containers.length; ci++) {
      const ref = subject.containers[ci];
      if (ref.env.length === 0) continue;
      ref.env.forEach((e) => {
        const hit = ns.local.get(e.name);
        if (!hit) return;
        out.push({
          container: ref.name,
          field: `${ref.path}.env[${e.index}].name`,
          message:
            `${describeContainer(ref)}: env ${JSON.stringify(e.name)} has the name of the service-link variable ` +
            `${JSON.stringify(`${hit.name}=${hit.value}`)} that ${describeService(hit.service)} injects; the container's value wins only ` +
            `while this entry exists; ${linkFix(subject)} or rename the variable`,
        });
      });
    }
    return out;
  },
};

const SERVICE_LINKS_TOO_LARGE: Rule = {
  id: 'env-service-links-too-large',
  severity: Severity.WARNING,
  title: "The namespace's service-link variables make the environment too large",
  reason:
    "Every container gets 7+ variables per Service in the namespace; with hundreds of Services the environment passes the kernel's " +
    'ARG_MAX / MAX_ARG_STRLEN limits and exec fails with "argument list too long".',
  fix: 'Set enableServiceLinks: false (SafePod does by default) and reach Services by DNS name',
  check(subject, ctx) {
    if (!ctx.services || !linksEnabled(subject)) return [];
    const ns = namespaceEnv(subject, ctx.services);
    if (ns.bytes <= DEFAULTS.serviceEnvWarnBytes) return [];
    const where = subject.namespace ? `namespace ${JSON.stringify(subject.namespace)}` : 'the namespace';
    return [
      {
        field: `${subject.podSpecPath}.enableServiceLinks`,
        message:
          `${ns.serviceCount} Services in ${where} inject ${ns.all.size} service-link variables (${ns.bytes} bytes, over the ` +
          `${DEFAULTS.serviceEnvWarnBytes}-byte budget) into every container, which can fail exec with "argument list too long"; ${linkFix(subject)}`,
      },
    ];
  },
};

// ---- $(VAR) references ---------------------------------------------------------------------------------------------

/** Names a service-link variable can have: what an unknown Service could inject. */
const SERVICE_LINK_NAME_RE = /^[A-Z0-9_]+_(SERVICE_HOST|SERVICE_PORT(_[A-Z0-9_]+)?|PORT(_\d+_(TCP|UDP|SCTP)(_PROTO|_PORT|_ADDR)?)?)$/;

/** Whether `name` may come from the container's envFrom (`undefined`: envFrom could define any name). */
function envFromCovers(envFrom: ContainerRef['envFrom']): ((name: string) => boolean) | undefined {
  const prefixes: string[] = [];
  for (const e of envFrom) {
    if (e.prefix === undefined || e.prefix === '') return undefined;
    prefixes.push(e.prefix);
  }
  return (name) => prefixes.some((p) => name.startsWith(p));
}

/**
 * Whether `$(name)` can be meant as a kubelet reference: `name` is an env var name (else it is text such as the
 * shell's `$(hostname -f)` or `$((1 + 2))`). Inside a shell script, an undefined lower-case name is the shell's
 * command substitution (`$(date)`), and only a name in the style of a variable (upper case, digits, `_`) is taken
 * for a reference the author misspelled or forgot to define.
 */
function isReference(name: string, inShell: boolean): boolean {
  if (validateEnvVarName(name).length > 0) return false;
  return !inShell || /^[A-Z_][A-Z0-9_]*$/.test(name);
}

const NO_ARGS: readonly string[] = Object.freeze([]);

/** Whether an env value or an argument contains `$(`: the container has something to expand. */
function hasTemplates(env: readonly EnvRef[], command: readonly string[], args: readonly string[]): boolean {
  for (let i = 0; i < env.length; i++) if (env[i].value?.includes('$(')) return true;
  for (let i = 0; i < command.length; i++) if (command[i].includes('$(')) return true;
  for (let i = 0; i < args.length; i++) if (args[i].includes('$(')) return true;
  return false;
}

const UNRESOLVED_REFERENCE: Rule = {
  id: 'env-unresolved-reference',
  severity: Severity.WARNING,
  title: 'A $(VAR) reference can never resolve',
  reason:
    'The kubelet expands $(VAR) in env values (from envFrom, earlier env entries and service variables) and in command/args (from the final ' +
    'env); a reference to anything else is left in the string literally, without an error or event (expansion.Expand, syntaxWrap). ' +
    'Text that cannot be a variable name ($(hostname -f), $((RANDOM % 5))) is not a reference; in a `sh -c` script an undefined ' +
    "lower-case name ($(date)) is the shell's command substitution, so there only upper-case names (the style of variables) are reported.",
  fix: 'Define the variable in an earlier env entry, fix the name, or write $$(VAR) for a literal "$(VAR)"',
  check(subject, ctx) {
    const out: RuleFinding[] = [];
    let services: NamespaceEnv | undefined;
    for (let ci = 0; ci < subject.containers.length; ci++) {
      const ref = subject.containers[ci];
      const env = ref.env;
      const command = ref.container.command ?? NO_ARGS;
      const args = ref.container.args ?? NO_ARGS;
      if (!hasTemplates(env, command, args)) continue;
      const fromEnvFrom = envFromCovers(ref.envFrom);
      if (!fromEnvFrom) continue; // an envFrom ConfigMap/Secret without prefix could define any name
      services ??= namespaceEnv(subject, ctx.services);
      const unknownServices = ctx.services === undefined && linksEnabled(subject);
      const fromServices = (name: string): boolean => services!.all.has(name) || (unknownServices && SERVICE_LINK_NAME_RE.test(name));
      const firstIndex = new Map<string, number>();
      for (const e of env) if (!firstIndex.has(e.name)) firstIndex.set(e.name, e.index);
      const report = (field: string, what: string, name: string, hint: string, where: string): void => {
        out.push({
          container: ref.name,
          field,
          message:
            `${describeContainer(ref)}: ${what} references ${JSON.stringify(`$(${name})`)}, which ${hint}, so the kubelet leaves it ` +
            `in the text literally; define ${JSON.stringify(name)} ${where}, fix the name, or write ${JSON.stringify(`$$(${name})`)} for the literal text`,
        });
      };
      for (const e of env) {
        if (!e.value) continue;
        for (const name of variableReferences(e.value)) {
          const at = firstIndex.get(name);
          if ((at !== undefined && at < e.index) || fromEnvFrom(name) || fromServices(name) || !isReference(name, false)) continue;
          const hint = at === undefined ? 'nothing defines' : at === e.index ? 'is the variable itself' : `is defined only later, at env[${at}]`;
          report(
            `${ref.path}.env[${e.index}].value`,
            `env ${JSON.stringify(e.name)} value ${JSON.stringify(e.value)}`,
            name,
            hint,
            'in an earlier env entry',
          );
        }
      }
      const shell = new Set(shellScriptIndexes([...command, ...args]));
      const argv: Array<readonly [list: 'command' | 'args', k: number, s: string, inShell: boolean]> = [
        ...command.map((s, k) => ['command', k, s, shell.has(k)] as const),
        ...args.map((s, k) => ['args', k, s, shell.has(command.length + k)] as const),
      ];
      for (const [list, k, s, inShell] of argv) {
        if (!s.includes('$(')) continue;
        for (const name of variableReferences(s)) {
          if (firstIndex.has(name) || fromEnvFrom(name) || fromServices(name) || !isReference(name, inShell)) continue;
          report(`${ref.path}.${list}[${k}]`, `${list}[${k}] ${JSON.stringify(s)}`, name, 'no env variable defines', 'in env');
        }
      }
    }
    return out;
  },
};

// ---- names and values ----------------------------------------------------------------------------------------------

const NO_ERRORS: readonly string[] = Object.freeze([]);
/** Env var names known to be valid (`validateEnvVarName`): thousands of pods repeat a few names. */
const VALID_ENV_NAMES = new Set<string>();

function envVarNameErrors(name: string): readonly string[] {
  if (VALID_ENV_NAMES.has(name)) return NO_ERRORS;
  const errs = validateEnvVarName(name);
  if (errs.length === 0) {
    if (VALID_ENV_NAMES.size >= 4096) VALID_ENV_NAMES.clear();
    VALID_ENV_NAMES.add(name);
  }
  return errs;
}

const ENV_NAME_INVALID: Rule = {
  id: 'env-name-invalid',
  severity: Severity.ERROR,
  title: 'An env var name or envFrom prefix is invalid for the target Kubernetes version',
  reason:
    'ValidateEnv / ValidateEnvFrom check names with IsEnvVarName ([-._a-zA-Z][-._a-zA-Z0-9]*, not ".", "..", "..*") up to 1.31, and with ' +
    'IsRelaxedEnvVarName (printable ASCII except "=") from 1.32 (RelaxedEnvironmentVariableValidation on by default).',
  fix: 'Rename the variable to letters, digits, "_", "-" and "." not starting with a digit',
  check(subject, ctx) {
    const relaxed = ctx.kubernetesVersion.isAtLeast(KubernetesVersion.V1_32);
    const validate = relaxed ? validateRelaxedEnvVarName : envVarNameErrors;
    const out: RuleFinding[] = [];
    for (let ci = 0; ci < subject.containers.length; ci++) {
      const ref = subject.containers[ci];
      if (ref.env.length === 0 && ref.envFrom.length === 0) continue;
      const check = (name: string, field: string, what: string): void => {
        const errs = validate(name);
        if (errs.length === 0) return;
        const later = !relaxed && validateRelaxedEnvVarName(name).length === 0 ? ' (Kubernetes 1.32+ accepts it)' : '';
        out.push({
          container: ref.name,
          field,
          message: `${describeContainer(ref)}: ${what} ${JSON.stringify(name)} is invalid for Kubernetes ${ctx.kubernetesVersion}: ${errs[0]}${later}; rename it`,
        });
      };
      for (const e of ref.env) {
        if (!ref.malformed.has(`env[${e.index}].name`)) check(e.name, `${ref.path}.env[${e.index}].name`, 'env name');
      }
      ref.envFrom.forEach((e, i) => {
        if (typeof e.prefix === 'string' && e.prefix !== '') check(e.prefix, `${ref.path}.envFrom[${i}].prefix`, 'envFrom prefix');
      });
    }
    return out;
  },
};

const ENV_DUPLICATE_NAME: Rule = {
  id: 'env-duplicate-name',
  severity: Severity.ERROR,
  title: 'A container sets the same env var twice',
  reason:
    'The kubelet keeps the last entry of a name (makeEnvironmentVariables writes into one map), and cdk8s-plus overwrites an earlier ' +
    'addVariable() silently, so one of the two values is lost without a trace.',
  fix: 'Keep one entry per name',
  check(subject) {
    const out: RuleFinding[] = [];
    for (let ci = 0; ci < subject.containers.length; ci++) {
      const ref = subject.containers[ci];
      if (ref.env.length === 0) continue;
      const first = new Map<string, number>();
      ref.env.forEach((e) => {
        const at = first.get(e.name);
        if (at === undefined) {
          first.set(e.name, e.index);
          return;
        }
        out.push({
          container: ref.name,
          field: `${ref.path}.env[${e.index}].name`,
          message: `${describeContainer(ref)}: env ${JSON.stringify(e.name)} is set twice (env[${at}] and env[${e.index}]) and the later entry silently wins; keep one`,
        });
      });
    }
    return out;
  },
};

const VALUE_FROM_SOURCES = ['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef'];

const ENV_VALUE_FROM_CONFLICT: Rule = {
  id: 'env-value-from-conflict',
  severity: Severity.ERROR,
  title: 'An env entry sets value and valueFrom, or valueFrom has not exactly one source',
  reason:
    'validateEnvVarValueFrom: valueFrom "may not be specified when `value` is not empty", and it must name exactly one of fieldRef, ' +
    'resourceFieldRef, configMapKeyRef, secretKeyRef; the API server rejects the pod.',
  fix: 'Use either value or valueFrom, with one source',
  check(subject) {
    const out: RuleFinding[] = [];
    for (let ci = 0; ci < subject.containers.length; ci++) {
      const ref = subject.containers[ci];
      if (ref.env.length === 0) continue;
      ref.env.forEach((e) => {
        if (!e.valueFrom) return;
        const field = `${ref.path}.env[${e.index}].valueFrom`;
        const who = `${describeContainer(ref)}: env ${JSON.stringify(e.name)}`;
        const sources = VALUE_FROM_SOURCES.filter((k) => e.valueFrom![k] !== undefined && e.valueFrom![k] !== null);
        if (e.value !== undefined && e.value !== '') {
          out.push({
            container: ref.name,
            field,
            message: `${who} sets value ${JSON.stringify(e.value)} and valueFrom; valueFrom may not be specified when value is not empty, remove one`,
          });
        }
        if (sources.length !== 1) {
          const has = sources.length === 0 ? 'no source' : `${sources.length} sources (${sources.join(', ')})`;
          out.push({
            container: ref.name,
            field,
            message: `${who} valueFrom has ${has}; give exactly one of ${VALUE_FROM_SOURCES.join(', ')}`,
          });
        }
      });
    }
    return out;
  },
};

const ENV_FIELD_REF_UNSUPPORTED: Rule = {
  id: 'env-field-ref-unsupported',
  severity: Severity.ERROR,
  title: 'A downward-API env reference the target Kubernetes version does not accept',
  reason:
    'validEnvDownwardAPIFieldPathExpressions lists the fieldRef paths env may read (status.hostIPs only from 1.29, PodHostIPs); labels and ' +
    'annotations need one qualified key; resourceFieldRef takes limits/requests of cpu, memory, ephemeral-storage, hugepages-* with fixed divisors.',
  fix: 'Use a path the target version supports (see DownwardApi), or raise the target version',
  check(subject, ctx) {
    const out: RuleFinding[] = [];
    for (let ci = 0; ci < subject.containers.length; ci++) {
      const ref = subject.containers[ci];
      if (ref.env.length === 0) continue;
      ref.env.forEach((e) => {
        const vf = e.valueFrom;
        if (!vf) return;
        const who = `${describeContainer(ref)}: env ${JSON.stringify(e.name)}`;
        const fr = vf.fieldRef as { fieldPath?: unknown; apiVersion?: unknown } | undefined;
        if (fr && typeof fr === 'object') {
          const path = typeof fr.fieldPath === 'string' ? fr.fieldPath : '';
          const apiVersion = typeof fr.apiVersion === 'string' ? fr.apiVersion : undefined;
          for (const p of envFieldRefProblems(path, apiVersion, ctx.kubernetesVersion)) {
            const fix = p.since
              ? `target Kubernetes ${p.since}+${path === 'status.hostIPs' ? ' or read "status.hostIP"' : ''}`
              : 'use a supported path';
            out.push({
              container: ref.name,
              field: `${ref.path}.env[${e.index}].valueFrom.fieldRef.fieldPath`,
              message: `${who} reads fieldRef ${JSON.stringify(path)}, which ${p.problem}; ${fix}`,
            });
          }
        }
        const rr = vf.resourceFieldRef as { resource?: unknown; divisor?: unknown } | undefined;
        if (rr && typeof rr === 'object') {
          const resource = typeof rr.resource === 'string' ? rr.resource : '';
          const divisor = typeof rr.divisor === 'string' || typeof rr.divisor === 'number' ? rr.divisor : undefined;
          for (const p of resourceFieldRefProblems(resource, divisor)) {
            out.push({
              container: ref.name,
              field: `${ref.path}.env[${e.index}].valueFrom.resourceFieldRef`,
              message: `${who} resourceFieldRef ${p}`,
            });
          }
        }
      });
    }
    return out;
  },
};

/** The rules of the container environment area. */
export const ENV_RULES: readonly Rule[] = Object.freeze([
  SERVICE_LINK_PREFIX,
  SERVICE_LINK_COLLISION,
  SERVICE_LINKS_TOO_LARGE,
  UNRESOLVED_REFERENCE,
  ENV_NAME_INVALID,
  ENV_DUPLICATE_NAME,
  ENV_VALUE_FROM_CONFLICT,
  ENV_FIELD_REF_UNSUPPORTED,
]);
