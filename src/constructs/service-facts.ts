/**
 * Adapters from cdk8s Services to `ServiceFacts`, and the public `serviceLinkEnv` over all three forms.
 */
import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { isMasterService, kubeletServiceEnv, masterServiceFacts } from '../env/service-env';
import { ManifestError } from '../k8s/errors';
import type { ServiceFacts } from '../k8s/shapes';

/** A Service in any of the forms `serviceLinkEnv` accepts: a cdk8s-plus `Service`, a `KubeService`, or plain facts. */
export type ServiceLike = kplus.Service | kplus.k8s.KubeService | ServiceFacts;

const KPLUS_SERVICE_FQN = 'cdk8s-plus-27.Service';

function isKplusService(x: unknown): x is kplus.Service {
  if (x instanceof kplus.Service) return true;
  // another copy of cdk8s-plus-27: compare the jsii type name up the prototype chain
  for (let p = x === null || typeof x !== 'object' ? null : Object.getPrototypeOf(x); p; p = Object.getPrototypeOf(p)) {
    const rtti = (p.constructor as { [k: symbol]: { fqn?: string } | undefined })[Symbol.for('jsii.rtti')];
    if (rtti?.fqn === KPLUS_SERVICE_FQN) return true;
  }
  return false;
}

type ServiceJson = {
  metadata?: { name?: string; namespace?: string };
  spec?: { type?: string; clusterIP?: string; ports?: Array<{ name?: string; port: number; protocol?: string }> };
};

/**
 * The facts of a Service that decide its service-link variables: from a cdk8s-plus `Service` (its name, namespace,
 * type, clusterIP and ports), a `KubeService` (its `toJson()`), or `ServiceFacts` (returned as they are).
 *
 * @group Helpers
 */
export function serviceFacts(service: ServiceLike): ServiceFacts {
  if (isKplusService(service)) {
    return {
      name: service.name,
      namespace: service.metadata.namespace,
      type: service.type,
      clusterIP: service.clusterIP,
      ports: service.ports.map((p) => ({ name: p.name, port: p.port, protocol: p.protocol })),
      origin: service.node.path,
    };
  }
  if (ApiObject.isApiObject(service)) {
    if (service.kind !== 'Service') {
      throw new ManifestError(`${service.node.path}: ${service.kind} ${JSON.stringify(service.name)} is not a Service; pass Services only`);
    }
    const json = service.toJson() as ServiceJson;
    return {
      name: json.metadata?.name ?? service.name,
      namespace: json.metadata?.namespace,
      type: json.spec?.type,
      clusterIP: json.spec?.clusterIP,
      ports: (json.spec?.ports ?? []).map((p) => ({ name: p.name, port: p.port, protocol: p.protocol })),
      origin: service.node.path,
    };
  }
  return service as ServiceFacts;
}

/** Options of `serviceLinkEnv`. */
export interface ServiceLinkEnvOptions {
  /**
   * The pod's namespace. A Service without a namespace is in the pod's namespace.
   *
   * @default - unknown: only Services without a namespace count as the pod's
   */
  readonly podNamespace?: string;
  /** The pod's `spec.enableServiceLinks` (Kubernetes defaults it to true on Pods; SafePod writes false). */
  readonly enableServiceLinks: boolean;
  /**
   * Whether to add the `default/kubernetes` Service every cluster has (the kubelet injects its variables even with
   * links off). It is not added when `services` lists it.
   *
   * @default true
   */
  readonly includeKubernetesService?: boolean;
  /**
   * The cluster IP of `default/kubernetes` (`kubectl get svc -n default kubernetes`).
   *
   * @default - DEFAULTS.unallocatedClusterIP
   */
  readonly kubernetesServiceIP?: string;
  /**
   * The value shown for a cluster IP not known at synth time.
   *
   * @default - DEFAULTS.unallocatedClusterIP
   */
  readonly unallocatedClusterIP?: string;
}

/**
 * The exact variables (`FOO_SERVICE_HOST`, `FOO_PORT=tcp://...`, ...) the kubelet injects into every container of a
 * pod next to `services`. Names are exact; a cluster IP the API server has not allocated yet shows as
 * `DEFAULTS.unallocatedClusterIP` (`<cluster-ip>`).
 *
 * @group Helpers
 */
export function serviceLinkEnv(services: readonly ServiceLike[], options: ServiceLinkEnvOptions): Record<string, string> {
  const facts = services.map(serviceFacts);
  const listsMaster = facts.some((s) => isMasterService(s, options.podNamespace));
  if ((options.includeKubernetesService ?? true) && !listsMaster) facts.push(masterServiceFacts(options.kubernetesServiceIP));
  return kubeletServiceEnv(facts, {
    podNamespace: options.podNamespace,
    enableServiceLinks: options.enableServiceLinks,
    unallocatedClusterIP: options.unallocatedClusterIP,
  });
}
