// Loaded by test/package/main-entry-imports.test.ts in a child process: the peer dependencies alone, to compare what
// the main entry loads with what they load themselves.
import 'constructs';
import 'cdk8s';
import 'cdk8s-plus-27';
