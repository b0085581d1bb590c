import * as fs from 'fs';
import { EXPORT_USAGE } from '../../src/cli/export';
import { ENVELOPE } from './cost';
import { ADMISSION_DOCS, renderAdmissionDocs } from './docs-tables';

const docs = fs.readFileSync(ADMISSION_DOCS, 'utf8');

describe('docs/admission.md', () => {
  test('its tables and example are what test/admission/docs-tables.ts generates from the catalogue and the policies', () => {
    // if this fails: npx ts-node --transpile-only test/admission/docs-tables.ts
    expect(docs).toEqual(renderAdmissionDocs(docs));
  });

  test('documents every option of the export command', () => {
    for (const option of (EXPORT_USAGE.match(/--[a-z-]+/g) ?? []).filter((o) => o !== '--help')) expect(docs).toContain(`\`${option}`);
  });

  test('states the envelope the cost estimates hold for', () => {
    const { containersPerList: c, envPerContainer, envFromPerContainer, commandArgs, imageLength, annotations } = ENVELOPE;
    for (const text of [
      `${3 * c}\ncontainers (${c} init, ${c}, ${c} ephemeral)`,
      `${envPerContainer} env entries`,
      `${envFromPerContainer} envFrom`,
      `${commandArgs}-argument`,
      `${imageLength}-character images`,
      `${annotations} annotations`,
    ]) {
      expect(docs.replace(/\s+/g, ' ')).toContain(text.replace(/\s+/g, ' '));
    }
  });
});
