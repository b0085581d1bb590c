import type { App } from 'cdk8s';
import { Chart, Duration } from 'cdk8s';
import { LifecycleHook, SafePod } from '../src';

/**
 * Graceful shutdown, written for Kubernetes 1.30 (the native `sleep` hook is on by default from 1.30; the target
 * version comes from the repository's `safe-pods.config.json`, which the CLI and the validation plugin read too): the app
 * sleeps 10 s in PreStop so endpoints drain before SIGTERM, the proxy drains its listeners over HTTP, and the grace
 * period is explicit and large enough for the longest PreStop budget plus the app's own shutdown reserve.
 */
export function gracefulShutdownChart(app: App): Chart {
  const chart = new Chart(app, 'graceful', { namespace: 'shop' });
  new SafePod(chart, 'checkout', {
    terminationGracePeriod: Duration.seconds(45),
    containers: [
      {
        name: 'checkout',
        image: 'ghcr.io/acme/checkout:3.1.0',
        portNumber: 8080,
        securityContext: { user: 1000 },
        hooks: { preStop: LifecycleHook.sleep(10) },
        shutdownReserveSeconds: 20,
      },
      {
        name: 'proxy',
        image: 'envoyproxy/envoy:v1.31.2',
        portNumber: 9901,
        securityContext: { user: 101 },
        hooks: { preStop: LifecycleHook.httpGet('/drain_listeners?graceful', { port: 9901, budgetSeconds: 15 }) },
      },
    ],
  });
  return chart;
}
