/**
 * The service-link variables the kubelet injects into every container.
 *
 * Ported from `k8s pkg/kubelet/kubelet_pods.go` `getServiceEnvVarMap` and `pkg/kubelet/envvars/envvars.go`
 * `FromServices`, `makeEnvVariableName`, `makeLinkVariables` (the `net.JoinHostPort` version: IPv6 bracketed in URLs).
 */
import { DEFAULTS } from '../defaults';
import type { ServiceFacts } from '../k8s/shapes';

/** The namespace of the `kubernetes` master Service. */
export const MASTER_SERVICE_NAMESPACE = 'default';
/** The name of the master Service whose variables every container gets, links on or off. */
export const MASTER_SERVICE_NAME = 'kubernetes';

/** Options of `kubeletServiceEnv`. */
export interface KubeletServiceEnvOptions {
  /**
   * The pod's namespace. A Service without a namespace is in the pod's namespace.
   *
   * @default - unknown: only Services without a namespace count as the pod's
   */
  readonly podNamespace?: string;
  /** `spec.enableServiceLinks` of the pod (Kubernetes defaults it to true on Pods). */
  readonly enableServiceLinks: boolean;
  /**
   * The value used for a cluster IP that is not known yet (absent, or `""` on a non-ExternalName Service).
   *
   * @default - DEFAULTS.unallocatedClusterIP
   */
  readonly unallocatedClusterIP?: string;
}

/** One injected variable with the Service it comes from. */
export interface ServiceEnvEntry {
  /** Variable name, e.g. `KAFKA_PORT`. */
  readonly name: string;
  /** Variable value, e.g. `tcp://10.0.0.11:9092`. */
  readonly value: string;
  /** The Service that injects it. */
  readonly service: ServiceFacts;
}

/** `makeEnvVariableName`: `-` becomes `_`, then upper case (`redis-master` → `REDIS_MASTER`). */
export function serviceEnvName(name: string): string {
  return name.replace(/-/g, '_').toUpperCase();
}

/**
 * Whether the kubelet will see a cluster IP on this Service (`IsServiceIPSet`): headless (`None`) and ExternalName
 * Services have none. An absent or empty `clusterIP` on any other type is allocated by the API server, so it counts.
 */
export function hasClusterIP(service: ServiceFacts): boolean {
  if (service.clusterIP === 'None') return false;
  if (service.type === 'ExternalName') return false;
  return service.ports.length > 0; // ValidateService requires ports on every Service that gets an IP
}

/** `net.JoinHostPort`: brackets a host that contains a colon (IPv6). */
function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** `FromServices` for one Service with the given cluster IP: the variables in upstream order. */
export function serviceVariables(service: ServiceFacts, clusterIP: string): Array<[string, string]> {
  const prefix = serviceEnvName(service.name);
  const out: Array<[string, string]> = [];
  out.push([`${prefix}_SERVICE_HOST`, clusterIP]);
  out.push([`${prefix}_SERVICE_PORT`, String(service.ports[0].port)]);
  for (const sp of service.ports) {
    if (sp.name) out.push([`${prefix}_SERVICE_PORT_${serviceEnvName(sp.name)}`, String(sp.port)]);
  }
  service.ports.forEach((sp, i) => {
    const protocol = sp.protocol ? sp.protocol : 'TCP';
    const url = `${protocol.toLowerCase()}://${joinHostPort(clusterIP, sp.port)}`;
    if (i === 0) out.push([`${prefix}_PORT`, url]);
    const portPrefix = `${prefix}_PORT_${sp.port}_${protocol.toUpperCase()}`;
    out.push([portPrefix, url]);
    out.push([`${portPrefix}_PROTO`, protocol.toLowerCase()]);
    out.push([`${portPrefix}_PORT`, String(sp.port)]);
    out.push([`${portPrefix}_ADDR`, clusterIP]);
  });
  return out;
}

/**
 * `getServiceEnvVarMap`: the Services whose variables a pod gets. `default/kubernetes` always (unless a Service
 * named `kubernetes` in the pod's namespace replaces it while links are on); other Services only in the pod's
 * namespace and only with links on; Services without a cluster IP never.
 */
export function linkedServices(services: readonly ServiceFacts[], options: KubeletServiceEnvOptions): ServiceFacts[] {
  const byName = new Map<string, ServiceFacts>();
  for (const s of services) {
    if (!hasClusterIP(s)) continue;
    const sameNamespace = s.namespace === undefined || s.namespace === options.podNamespace;
    if (isMasterService(s, options.podNamespace)) {
      if (!byName.has(s.name)) byName.set(s.name, s);
    } else if (sameNamespace && options.enableServiceLinks) {
      byName.set(s.name, s);
    }
  }
  return [...byName.values()];
}

/** The injected variables with the Service each comes from, in a stable order (the kubelet's order is a map's). */
export function serviceEnvEntries(services: readonly ServiceFacts[], options: KubeletServiceEnvOptions): ServiceEnvEntry[] {
  const placeholder = options.unallocatedClusterIP ?? DEFAULTS.unallocatedClusterIP;
  const byName = new Map<string, ServiceEnvEntry>();
  for (const service of linkedServices(services, options)) {
    const ip = service.clusterIP ? service.clusterIP : placeholder;
    for (const [name, value] of serviceVariables(service, ip)) byName.set(name, { name, value, service });
  }
  return [...byName.values()];
}

/**
 * The exact map of service-link variables the kubelet injects into each container of a pod, over plain Service
 * facts. Exactly the listed Services count: add `default/kubernetes` yourself, or use `serviceLinkEnv`, which does.
 */
export function kubeletServiceEnv(services: readonly ServiceFacts[], options: KubeletServiceEnvOptions): Record<string, string> {
  return Object.fromEntries(serviceEnvEntries(services, options).map((e) => [e.name, e.value]));
}

/**
 * The `default/kubernetes` master Service as every cluster has it (port 443, named `https`).
 *
 * @param clusterIP its cluster IP, when known (`kubectl get svc -n default kubernetes`)
 */
export function masterServiceFacts(clusterIP?: string): ServiceFacts {
  return {
    name: MASTER_SERVICE_NAME,
    namespace: MASTER_SERVICE_NAMESPACE,
    type: 'ClusterIP',
    clusterIP,
    ports: [{ name: 'https', port: DEFAULTS.kubernetesServicePort, protocol: 'TCP' }],
    origin: 'default/kubernetes (created by the API server)',
  };
}

/** Bytes one variable takes in a process's environment block: `NAME=value\0` (UTF-8). */
export function envEntryBytes(name: string, value: string): number {
  return Buffer.byteLength(name, 'utf8') + Buffer.byteLength(value, 'utf8') + 2;
}

/** Bytes the variables take in a process's environment block: `NAME=value\0` summed (UTF-8). */
export function envBlockBytes(vars: Readonly<Record<string, string>>): number {
  let bytes = 0;
  for (const [k, v] of Object.entries(vars)) bytes += envEntryBytes(k, v);
  return bytes;
}

/** Whether `service` is the `default/kubernetes` master Service for a pod in `podNamespace` (absent namespace: the pod's). */
export function isMasterService(service: ServiceFacts, podNamespace: string | undefined): boolean {
  return service.name === MASTER_SERVICE_NAME && (service.namespace ?? podNamespace) === MASTER_SERVICE_NAMESPACE;
}
