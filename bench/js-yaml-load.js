/* eslint-disable @typescript-eslint/no-require-imports -- a plain CommonJS script, run by node without ts-node */
// The baseline of the whole-process reading benchmark: read every file given (folders: their *.yaml files) and
// load every document with js-yaml's `loadAll` (default schema), nothing else. Prints the number of documents.
'use strict';
const fs = require('fs');
const path = require('path');
const { loadAll } = require('js-yaml');

function files(p) {
  if (!fs.statSync(p).isDirectory()) return [p];
  return fs
    .readdirSync(p)
    .sort()
    .flatMap((name) => files(path.join(p, name)))
    .filter((f) => f.endsWith('.yaml'));
}

let documents = 0;
for (const file of process.argv.slice(2).flatMap(files)) documents += loadAll(fs.readFileSync(file, 'utf8')).length;
process.stdout.write(`${documents}\n`);
