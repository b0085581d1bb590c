import type { App } from 'cdk8s';
import { Chart, Cron } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { LifecycleHook, SafeCronJob, SafeDeployment, SafeStatefulSet } from '../src';

/**
 * The workloads users write, built like SafePods: a Deployment behind a Service, a nightly CronJob, and a StatefulSet
 * that stops gracefully (its preStop hook hands the leases over, bounded by `timeout`, and the grace period is derived
 * from the hook's budget plus the app's shutdown reserve). docs/workloads.md walks through it.
 */
export function workloadsChart(app: App): Chart {
  const chart = new Chart(app, 'store', { namespace: 'store' });

  const storefront = new SafeDeployment(chart, 'storefront', {
    replicas: 3,
    containers: [{ name: 'web', image: 'ghcr.io/acme/storefront:4.2.0', portNumber: 8080, securityContext: { user: 1000 } }],
  });
  storefront.exposeViaService({ name: 'storefront', ports: [{ name: 'http', port: 80, targetPort: 8080 }] });

  new SafeCronJob(chart, 'nightly-report', {
    schedule: Cron.schedule({ minute: '30', hour: '2' }),
    containers: [
      {
        name: 'report',
        image: 'ghcr.io/acme/report:1.8.3',
        args: ['--since', '24h'],
        securityContext: { user: 1000 },
        envVariables: { STOREFRONT_URL: kplus.EnvValue.fromValue('http://storefront.store.svc') },
      },
    ],
  });

  // the ledger hands its leases over before it stops (at most 30 s), then needs 20 s after SIGTERM to flush
  new SafeStatefulSet(chart, 'ledger', {
    replicas: 3,
    containers: [
      {
        name: 'ledger',
        image: 'ghcr.io/acme/ledger:2.0.1',
        portNumber: 7000,
        securityContext: { user: 1000 },
        hooks: { preStop: LifecycleHook.exec(['/app/ledger', 'handover', '--wait'], { budgetSeconds: 30 }) },
        shutdownReserveSeconds: 20,
      },
    ],
  });
  return chart;
}
