import { App } from 'cdk8s';
import { gracefulShutdownChart } from './graceful-shutdown';
import { runtimeClassesChart } from './runtime-classes';
import { servicesChart } from './services';
import { webChart } from './web';
import { workloadsChart } from './workloads';

/** Every example chart, synthesized by `cdk8s synth` (see cdk8s.yaml) and by test/examples.test.ts. */
export function buildExamples(app: App = new App({ recordConstructMetadata: true })): App {
  webChart(app);
  servicesChart(app);
  runtimeClassesChart(app);
  gracefulShutdownChart(app);
  workloadsChart(app);
  return app;
}

if (require.main === module) {
  buildExamples().synth();
}
