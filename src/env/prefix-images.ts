/**
 * Images known to read every variable under a prefix as their own configuration, and the names on which they stop.
 *
 * This is the evidence `env-service-link-prefix` needs: a Service whose name gives the prefix (`kafka` → `KAFKA_PORT`)
 * injects a variable such an image refuses. A shared prefix alone (`FRONTEND_ADDR` next to a Service `frontend`) is
 * not evidence: apps read their variables by exact name. Each entry cites the image's own code.
 */

/** An image that turns a prefix's variables into configuration. */
export interface PrefixMappingImage {
  /** Repositories (as Docker Hub names, no registry, no tag) this applies to. */
  readonly repositories: readonly string[];
  /** The prefix the image maps, e.g. `KAFKA`. */
  readonly prefix: string;
  /** Variables whose presence makes the image exit at start, with the message it prints. */
  readonly fatal: Readonly<Record<string, string>>;
  /** Where this behaviour is written. */
  readonly source: string;
}

/** The images this library knows to stop on service-link variables. */
export const PREFIX_MAPPING_IMAGES: readonly PrefixMappingImage[] = Object.freeze<PrefixMappingImage[]>([
  {
    repositories: ['confluentinc/cp-kafka', 'confluentinc/cp-server', 'confluentinc/cp-enterprise-kafka'],
    prefix: 'KAFKA',
    fatal: {
      KAFKA_PORT: 'port is deprecated. Please use KAFKA_ADVERTISED_LISTENERS instead.',
      KAFKA_HOST: 'host is deprecated. Please use KAFKA_ADVERTISED_LISTENERS instead.',
      KAFKA_ADVERTISED_PORT: 'advertised.port is deprecated. Please use KAFKA_ADVERTISED_LISTENERS instead.',
      KAFKA_ADVERTISED_HOST: 'advertised.host is deprecated. Please use KAFKA_ADVERTISED_LISTENERS instead.',
    },
    source: 'confluentinc/kafka-images kafka/include/etc/confluent/docker/configure (exit 1 when the variable is set)',
  },
  {
    repositories: ['confluentinc/cp-schema-registry'],
    prefix: 'SCHEMA_REGISTRY',
    fatal: { SCHEMA_REGISTRY_PORT: 'PORT is deprecated. Please use SCHEMA_REGISTRY_LISTENERS instead.' },
    source: 'confluentinc/schema-registry-images schema-registry/include/etc/confluent/docker/configure (exit 1 when the variable is set)',
  },
]);

/** The entry for an image repository (`confluentinc/cp-kafka`, also as `docker.io/confluentinc/cp-kafka`), if any. */
export function prefixMappingImage(repository: string): PrefixMappingImage | undefined {
  const name = repository.replace(/^(docker\.io|index\.docker\.io|registry-1\.docker\.io)\//, '');
  return PREFIX_MAPPING_IMAGES.find((e) => e.repositories.includes(name));
}
