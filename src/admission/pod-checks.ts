/**
 * Pod-level rules at admission: containers present, container names, the RuntimeClass name, and the judge's own
 * suppression rules (a suppression needs a reason and a known rule).
 */
import { CONTAINER_NAME, POD_NO_CONTAINERS } from '../rules/pod';
import { RUNTIME_CLASS_NAME_INVALID } from '../rules/runtime-class';
import { SUPPRESSION_UNKNOWN_CONTAINER, SUPPRESSION_UNKNOWN_RULE, SUPPRESSION_WITHOUT_REASON } from '../rules/suppressions';
import { and, ifThen, matches, not, or, quoted, v } from './cel';
import type { AdmissionCheck } from './check';
import { DNS1123_LABEL, DNS1123_SUBDOMAIN } from './patterns';
import {
  hasReason,
  namesKnownRule,
  namesUnknownContainer,
  suppressedFor,
  suppressedForObject,
  suppressionContainer,
  suppressionKeys,
  suppressionRule,
} from './subject';

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

/**
 * A missing (or empty) name is reported for no container (only an object-level suppression applies), an invalid or
 * repeated one for the container of that name.
 */
const NAMES: AdmissionCheck = {
  rule: CONTAINER_NAME,
  uses: ['containers', 'suppressed'],
  violations: () =>
    `${v('containers')}.filter(r, ${and(
      or(nameInvalid('r.name'), `${v('containers')}.filter(y, y.name == r.name).size() > 1`),
      not(ifThen("r.name == ''", suppressedForObject(CONTAINER_NAME.id), suppressedFor(CONTAINER_NAME.id, 'r.name'))),
    )}).map(r, ${ifThen(
      "r.name == ''",
      "r.kind + ': name is required (Required value); give the container a lower-case DNS label'",
      `r.kind + ' ' + ${quoted('r.name')} + ': ' + ${ifThen(
        nameInvalid('r.name'),
        "'the name is not a lower-case DNS label (at most 63 characters of a-z, 0-9 and -)'",
        "'the name is used by more than one container, init container or ephemeral container'",
      )}`,
    )})`,
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

/** `annotation "<key>"` for messages. */
function annotation(key: string): string {
  return `'suppression ' + ${quoted(key)}`;
}

const WITHOUT_REASON: AdmissionCheck = {
  rule: SUPPRESSION_WITHOUT_REASON,
  uses: ['annPod', 'annJob', 'annObj'],
  violations: (ctx) =>
    `${suppressionKeys()}.filter(k, ${and(namesKnownRule(ctx, 'k'), not(hasReason('k')))}).map(k, ` +
    `${annotation('k')} + ' has no reason (its value has no visible text); set its value to why the finding is accepted')`,
};

const UNKNOWN_RULE: AdmissionCheck = {
  rule: SUPPRESSION_UNKNOWN_RULE,
  uses: ['annPod', 'annJob', 'annObj'],
  violations: (ctx) =>
    `${suppressionKeys()}.filter(k, ${not(namesKnownRule(ctx, 'k'))}).map(k, ` +
    `${annotation('k')} + ' names no known rule ' + ${quoted(suppressionRule('k'))} + '; use a rule id from the catalogue')`,
};

const UNKNOWN_CONTAINER: AdmissionCheck = {
  rule: SUPPRESSION_UNKNOWN_CONTAINER,
  uses: ['annPod', 'annJob', 'annObj', 'containers'],
  violations: (ctx) =>
    `${suppressionKeys()}.filter(k, ${and(namesKnownRule(ctx, 'k'), hasReason('k'), namesUnknownContainer('k'))}).map(k, ` +
    `${annotation('k')} + ' names container ' + ${quoted(suppressionContainer('k'))} + ', which the pod does not have; it suppresses nothing')`,
};

/** The pod-level checks, in catalogue order. */
export const POD_CHECKS: readonly AdmissionCheck[] = Object.freeze([NO_CONTAINERS, NAMES, RUNTIME_CLASS_NAME]);

/** The judge's own suppression rules (never suppressible themselves). */
export const SUPPRESSION_CHECKS: readonly AdmissionCheck[] = Object.freeze([WITHOUT_REASON, UNKNOWN_RULE, UNKNOWN_CONTAINER]);
