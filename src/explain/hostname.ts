/**
 * The hostname a container sees. Ported from `k8s pkg/kubelet/kubelet_pods.go` `GeneratePodHostNameAndDomain` and
 * `truncatePodHostnameIfNeeded` (hostname = `spec.hostname`, else the pod name, cut to 63 characters; domain =
 * `<subdomain>.<namespace>.svc.<cluster-domain>`), `pkg/kubelet/util` `GetNodenameForKernel` (`setHostnameAsFQDN`),
 * and the sandbox config, which keeps the node's hostname for `hostNetwork` pods. StatefulSet pods get
 * `hostname = <pod name>` and `subdomain = spec.serviceName` from the controller (`stateful_set_utils.go` `initIdentity`).
 */
import type { ExplainedHostname } from './types';

/** `hostnameMaxLen` of the kubelet. */
const HOSTNAME_MAX_LENGTH = 63;
/** The kernel's limit on a hostname (`setHostnameAsFQDN` fails the sandbox above it). */
const KERNEL_HOSTNAME_MAX_LENGTH = 64;
/** The placeholder for the cluster DNS domain (the kubelet's `--cluster-domain`, usually `cluster.local`). */
export const CLUSTER_DOMAIN_PLACEHOLDER = '<cluster-domain>';

/** What the hostname depends on. */
export interface HostnameInput {
  /** The object's kind. */
  readonly kind: string;
  /** Whether the object is a template (the pod name is generated). */
  readonly template: boolean;
  /**
   * `metadata.name` of the object.
   *
   * @default - not set
   */
  readonly name?: string;
  /**
   * `metadata.generateName` of the object.
   *
   * @default - not set
   */
  readonly generateName?: string;
  /**
   * `metadata.namespace`.
   *
   * @default - not set
   */
  readonly namespace?: string;
  /**
   * `spec.hostname` of the pod spec.
   *
   * @default - not set
   */
  readonly hostname?: string;
  /**
   * `spec.subdomain` of the pod spec.
   *
   * @default - not set
   */
  readonly subdomain?: string;
  /**
   * `spec.setHostnameAsFQDN`.
   *
   * @default - not set
   */
  readonly setHostnameAsFQDN?: boolean;
  /**
   * `spec.hostNetwork`.
   *
   * @default - not set
   */
  readonly hostNetwork?: boolean;
  /**
   * A StatefulSet's `spec.serviceName`.
   *
   * @default - not set
   */
  readonly serviceName?: string;
}

/** How a controller of `kind` names the pods it creates, for the note of a generated name. */
export function generatedPodName(kind: string, name: string): string {
  const n = name === '' ? `<${kind.toLowerCase()} name>` : name;
  switch (kind) {
    case 'Deployment':
      return `${n}-<pod-template-hash>-<5 random characters> (the Deployment's ReplicaSet, then the pod)`;
    case 'StatefulSet':
      return `${n}-<ordinal> (${n}-0, ${n}-1, ...)`;
    case 'CronJob':
      return `${n}-<scheduled time in minutes>-<5 random characters> (the Job, then the pod)`;
    case 'PodTemplate':
      return 'whatever the controller that uses the template chooses';
    default:
      return `${n}-<5 random characters>`;
  }
}

/** `truncatePodHostnameIfNeeded`: at most 63 characters, without trailing `-` or `.`. */
export function truncateHostname(hostname: string): string {
  if (hostname.length <= HOSTNAME_MAX_LENGTH) return hostname;
  return hostname.slice(0, HOSTNAME_MAX_LENGTH).replace(/[-.]+$/, '');
}

/** The hostname every container of the pod sees. */
export function explainHostname(input: HostnameInput): ExplainedHostname {
  if (input.hostNetwork === true) {
    return {
      value: '<node hostname>',
      known: false,
      source: 'the node (hostNetwork)',
      note: 'a hostNetwork pod shares the node UTS namespace: the kubelet does not set a hostname, so the container sees the node name',
    };
  }
  const statefulSet = input.kind === 'StatefulSet';
  let value: string;
  let known: boolean;
  let source: string;
  let note: string | undefined;
  let subdomain = input.subdomain;
  if (statefulSet) {
    const n = input.name ?? '<statefulset name>';
    value = `${n}-<ordinal>`;
    known = false;
    source = 'pod name (set by the StatefulSet controller)';
    subdomain = input.serviceName ?? subdomain;
    note = `the StatefulSet controller names pods ${generatedPodName(input.kind, input.name ?? '')} and sets hostname to the pod name and subdomain to spec.serviceName`;
  } else if (input.hostname !== undefined && input.hostname !== '') {
    value = input.hostname;
    known = true;
    source = 'spec.hostname';
  } else if (!input.template && input.name !== undefined && input.name !== '') {
    value = input.name;
    known = true;
    source = 'metadata.name';
  } else if (!input.template && input.generateName !== undefined && input.generateName !== '') {
    value = '<pod name>';
    known = false;
    source = 'generated pod name';
    note = `the API server generates the name: ${input.generateName}<5 random characters>`;
  } else if (input.template) {
    value = '<pod name>';
    known = false;
    source = 'generated pod name';
    note = `a ${input.kind} creates pods named ${generatedPodName(input.kind, input.name ?? '')}; set spec.hostname for a fixed hostname`;
  } else {
    value = '<pod name>';
    known = false;
    source = 'metadata.name';
    note = 'the object has no name';
  }
  if (known && value.length > HOSTNAME_MAX_LENGTH) {
    const cut = truncateHostname(value);
    note = `${JSON.stringify(value)} is longer than ${HOSTNAME_MAX_LENGTH} characters: the kubelet cuts it to ${JSON.stringify(cut)}`;
    value = cut;
  }
  if (subdomain === undefined || subdomain === '') return { value, known, source, ...(note !== undefined ? { note } : {}) };
  const fqdn = `${value}.${subdomain}.${input.namespace ?? '<namespace>'}.svc.${CLUSTER_DOMAIN_PLACEHOLDER}`;
  if (input.setHostnameAsFQDN === true) {
    const more = `setHostnameAsFQDN: the kernel hostname is the FQDN ${fqdn} (the sandbox fails when it is longer than ${KERNEL_HOSTNAME_MAX_LENGTH} characters)`;
    return { value: fqdn, known: false, source: `${source} + spec.subdomain (setHostnameAsFQDN)`, fqdn, note: note ? `${note}; ${more}` : more };
  }
  return { value, known, source, fqdn, ...(note !== undefined ? { note } : {}) };
}
