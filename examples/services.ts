import type { App } from 'cdk8s';
import { Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { addCommonDownwardEnv, SafePod } from '../src';

/**
 * A pod next to two Services. `api` keeps the safe default (`enableServiceLinks: false`) and gets the downward-API
 * basics; `legacy` turns links on because it reads `REDIS_CACHE_SERVICE_HOST`, and the library checks its
 * variables against what the kubelet will inject (README, "Container environment").
 */
export function servicesChart(app: App): Chart {
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  new kplus.Service(chart, 'redis-cache', {
    metadata: { name: 'redis-cache' },
    clusterIP: '10.0.0.11',
    ports: [{ port: 6379 }],
  });
  new kplus.Service(chart, 'kafka', {
    metadata: { name: 'kafka' },
    clusterIP: '10.0.0.12',
    ports: [
      { name: 'broker', port: 9092 },
      { name: 'metrics', port: 9404 },
    ],
  });

  const api = new SafePod(chart, 'api', {
    containers: [
      {
        name: 'api',
        image: 'ghcr.io/acme/api:2.4.1',
        portNumber: 8080,
        securityContext: { user: 1000 },
        envVariables: { KAFKA_BROKERS: kplus.EnvValue.fromValue('kafka.shop.svc:9092') },
      },
    ],
  });
  addCommonDownwardEnv(api.containers[0]);

  new SafePod(chart, 'legacy', {
    enableServiceLinks: true,
    containers: [
      {
        name: 'legacy',
        image: 'ghcr.io/acme/legacy:0.9.0',
        securityContext: { user: 1000 },
        envVariables: { CACHE_URL: kplus.EnvValue.fromValue('redis://$(REDIS_CACHE_SERVICE_HOST):$(REDIS_CACHE_SERVICE_PORT)') },
      },
    ],
  });
  return chart;
}
