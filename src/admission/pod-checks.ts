/**
 * Pod-level rules at admission: containers present, container names, the RuntimeClass name, and the judge's own
 * suppression rules (a suppression needs a reason and a known rule).
 */
import { SUPPRESS_ANNOTATION_PREFIX, SUPPRESSION_RULE, UNKNOWN_SUPPRESSION_RULE } from '../rules/judge';
import { CONTAINER_NAME, POD_NO_CONTAINERS } from '../rules/pod';
import { RUNTIME_CLASS_NAME_INVALID } from '../rules/runtime-class';
import { and, matches, not, or, quoted, str, strList, v } from './cel';
import type { AdmissionCheck } from './check';
import { BLANK, DNS1123_LABEL, DNS1123_SUBDOMAIN } from './patterns';
import { suppressedFor, suppressedForObject } from './subject';

/** `cond ? [] : [description]` for a finding about the whole object, unless it is suppressed for the object. */
function whole(ruleId: string, cond: string, describe: string): string {
  return `${and(cond, not(suppressedForObject(ruleId)))} ? [${describe}] : []`;
}

const NO_CONTAINERS: AdmissionCheck = {
  rule: POD_NO_CONTAINERS,
  uses: ['spec', 'suppressed'],
  violations: () =>
    whole(
      POD_NO_CONTAINERS.id,
      `!has(${v('spec')}.containers) || size(${v('spec')}.containers) == 0`,
      "'the pod spec has no containers; a pod needs at least one'",
    ),
};

/** A container name that is not a DNS-1123 label. */
function nameInvalid(n: string): string {
  return or(`${n} == ''`, `size(${n}) > 63`, not(matches(n, DNS1123_LABEL)));
}

const NAMES: AdmissionCheck = {
  rule: CONTAINER_NAME,
  uses: ['containers', 'suppressed'],
  violations: () =>
    `${v('containers')}.filter(r, ${and(
      or(nameInvalid('r.name'), `${v('containers')}.filter(y, y.name == r.name).size() > 1`),
      not(suppressedFor(CONTAINER_NAME.id, 'r.name')),
    )}).map(r, r.kind + ' ' + ${quoted('r.name')} + ': ' + (${nameInvalid('r.name')} ? ` +
    `'the name is not a lower-case DNS label (at most 63 characters of a-z, 0-9 and -)' : ` +
    `'the name is used by more than one container, init container or ephemeral container'))`,
};

const RUNTIME_CLASS_NAME: AdmissionCheck = {
  rule: RUNTIME_CLASS_NAME_INVALID,
  uses: ['spec', 'suppressed'],
  violations: () => {
    const name = `${v('spec')}.runtimeClassName`;
    return whole(
      RUNTIME_CLASS_NAME_INVALID.id,
      and(`has(${name})`, or(`${name} == ''`, `size(${name}) > 253`, not(matches(name, DNS1123_SUBDOMAIN)))),
      `'runtimeClassName ' + ${quoted(name)} + ' is not a RuntimeClass name (a lower-case DNS subdomain); omit it or name a RuntimeClass'`,
    );
  },
};

/** The suppression annotation keys of the object and its templates, each once per metadata object. */
const SUPPRESSION_KEYS = ['annPod', 'annJob', 'annObj'].map((m) => `${v(m)}.filter(k, k.startsWith(${str(SUPPRESS_ANNOTATION_PREFIX)}))`).join(' + ');

/** The rule id a suppression key names (the text up to the first dot after the prefix). */
function ruleOf(key: string): string {
  return `${key}.substring(${SUPPRESS_ANNOTATION_PREFIX.length}).split('.')[0]`;
}

/** The merged value of annotation `key` (innermost template wins). */
function effective(key: string): string {
  return `(${key} in ${v('annPod')} ? ${v('annPod')}[${key}] : (${key} in ${v('annJob')} ? ${v('annJob')}[${key}] : ${v('annObj')}[${key}]))`;
}

const WITHOUT_REASON: AdmissionCheck = {
  rule: SUPPRESSION_RULE,
  uses: ['annPod', 'annJob', 'annObj'],
  violations: (ctx) =>
    `(${SUPPRESSION_KEYS}).filter(k, ${and(`${ruleOf('k')} in ${strList(ctx.ruleIds)}`, matches(effective('k'), BLANK))}).map(k, ` +
    `'annotation ' + ${quoted('k')} + ' suppresses a finding without a reason; set its value to why the finding is accepted')`,
};

const UNKNOWN_RULE: AdmissionCheck = {
  rule: UNKNOWN_SUPPRESSION_RULE,
  uses: ['annPod', 'annJob', 'annObj'],
  violations: (ctx) =>
    `(${SUPPRESSION_KEYS}).filter(k, !(${ruleOf('k')} in ${strList(ctx.ruleIds)})).map(k, ` +
    `'annotation ' + ${quoted('k')} + ' names no known rule ' + ${quoted(ruleOf('k'))} + '; use a rule id from the catalogue')`,
};

/** The pod-level checks, in catalogue order, then the suppression checks. */
export const POD_CHECKS: readonly AdmissionCheck[] = Object.freeze([NO_CONTAINERS, NAMES, RUNTIME_CLASS_NAME]);

/** The judge's own suppression rules (never suppressible themselves). */
export const SUPPRESSION_CHECKS: readonly AdmissionCheck[] = Object.freeze([WITHOUT_REASON, UNKNOWN_RULE]);
