import { App } from 'cdk8s';
import { webChart } from './web';

/** Every example chart, synthesized by `cdk8s synth` (see cdk8s.yaml) and by test/examples.test.ts. */
export function buildExamples(app: App = new App()): App {
  webChart(app);
  return app;
}

if (require.main === module) {
  buildExamples().synth();
}
