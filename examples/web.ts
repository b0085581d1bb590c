import { Chart } from 'cdk8s';
import type { App } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { SafePod } from '../src';

/** A web pod with a pinned tag, a sidecar pinned by digest, and a private registry secret. */
export function webChart(app: App): Chart {
  const chart = new Chart(app, 'web', { namespace: 'shop' });
  const pullSecret = kplus.Secret.fromSecretName(chart, 'registry-auth', 'registry-auth');

  const pod = new SafePod(chart, 'frontend', {
    imagePullSecrets: [pullSecret],
    containers: [
      {
        name: 'nginx',
        image: 'nginx:1.27.3',
        portNumber: 8080,
        securityContext: { user: 101, group: 101 },
      },
    ],
  });
  pod.addContainer({
    name: 'metrics',
    image: 'quay.io/prometheus/nginx-exporter@sha256:3ea1e4fd4a3d8d3e2f5f3c4f0e5d0b1a6a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d',
    portNumber: 9113,
  });
  return chart;
}
