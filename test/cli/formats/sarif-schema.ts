/**
 * Validates SARIF logs against the official SARIF 2.1.0 JSON schema shipped in test/fixtures/sarif/ (see the README
 * there for its source and licence).
 *
 * The schema is the OASIS errata 01 one, written for JSON Schema draft-04, which Ajv 8 does not load. Draft-04 and
 * draft-07 differ only in keywords this schema does not use (boolean `exclusiveMinimum`/`exclusiveMaximum`) and in
 * the spelling of the root `id` (`$id` from draft-06), so the root `id` and `$schema` are rewritten and the rest is
 * validated as draft-07; `draft04KeywordsIn` lets a test check that nothing else needs translating.
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

export const SARIF_SCHEMA_FILE = path.join(__dirname, '..', '..', 'fixtures', 'sarif', 'sarif-schema-2.1.0.json');

/** The schema as shipped (draft-04). */
export function shippedSchema(): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(SARIF_SCHEMA_FILE, 'utf8')) as Record<string, unknown>;
}

/** Paths of draft-04 keywords whose meaning changed in draft-06/07, anywhere below the root. */
export function draft04KeywordsIn(node: unknown, at = '#'): string[] {
  if (Array.isArray(node)) return node.flatMap((x, i) => draft04KeywordsIn(x, `${at}/${i}`));
  if (node === null || typeof node !== 'object') return [];
  const out: string[] = [];
  for (const [k, v] of Object.entries(node)) {
    if ((k === 'exclusiveMinimum' || k === 'exclusiveMaximum') && typeof v === 'boolean') out.push(`${at}/${k}`);
    // `id` as a keyword is a string next to schema keywords; as a property name it is a key of `properties`
    if (k === 'id' && typeof v === 'string' && at !== '#') out.push(`${at}/${k}`);
    if (k !== 'properties' || typeof v !== 'object') out.push(...draft04KeywordsIn(v, `${at}/${k}`));
    else for (const [name, sub] of Object.entries(v as object)) out.push(...draft04KeywordsIn(sub, `${at}/properties/${name}`));
  }
  return out;
}

let validator: ValidateFunction | undefined;

/** The compiled validator (draft-07, every format of ajv-formats checked: `uri`, `uri-reference`, `date-time`). */
export function sarifValidator(): ValidateFunction {
  if (!validator) {
    const { $schema: _draft04, id, ...rest } = shippedSchema();
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    validator = ajv.compile({ $schema: 'http://json-schema.org/draft-07/schema#', $id: id as string, ...rest });
  }
  return validator;
}

/** The schema errors of a log, as readable lines (empty when the log is valid). */
export function sarifErrors(log: unknown): string[] {
  const validate = sarifValidator();
  if (validate(JSON.parse(JSON.stringify(log)))) return [];
  return (validate.errors ?? []).map((e: ErrorObject) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}
