/**
 * Jest setup (setupFilesAfterEnv): every chart synthesized anywhere in the suite (`Testing.synth`, `chart.toJson()`,
 * `app.synthYaml()`) has each of its objects validated with kubernetes-models against the official OpenAPI schema.
 * An invalid object, or a kind with no model, fails the test that synthesized it: nothing is skipped silently.
 */
import { Chart } from 'cdk8s';
import { validateWithKubernetesModels } from './kubernetes-models';

const original = Chart.prototype.toJson;
Chart.prototype.toJson = function toJsonValidated(this: Chart): any[] {
  const objects = original.call(this);
  for (const obj of objects) {
    try {
      validateWithKubernetesModels(obj);
    } catch (e) {
      throw new Error(`synthesized ${obj.kind} ${JSON.stringify(obj.metadata?.name)} fails kubernetes-models validation: ${(e as Error).message}`, {
        cause: e,
      });
    }
  }
  return objects;
};
