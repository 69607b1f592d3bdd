// Reads vitest's JSON report and fails unless every integration file ran in both the PGlite
// and the PostgreSQL project, nothing failed and nothing was skipped.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

const report = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const runs = new Map();
for (const file of report.testResults) {
  const name = relative(process.cwd(), file.name);
  runs.set(name, (runs.get(name) ?? 0) + 1);
}
const problems = [];
for (const [name, count] of runs) {
  if (!name.startsWith('test/integration/')) continue;
  // `.once` files run on PGlite only, `.postgres` files on PostgreSQL only; all others on both.
  const single = name.endsWith('.once.test.ts') || name.endsWith('.postgres.test.ts');
  const expected = single ? 1 : 2;
  if (count !== expected) problems.push(`${name} ran ${count} time(s), expected ${expected}`);
}
if (![...runs.keys()].some((name) => name.startsWith('test/integration/'))) problems.push('no integration test ran');
if (![...runs.keys()].some((name) => name.endsWith('.postgres.test.ts'))) problems.push('the PostgreSQL-only tests did not run');
if (![...runs.keys()].some((name) => name.endsWith('.postgres.test.ts'))) problems.push('the PostgreSQL-only tests did not run');
if (report.numFailedTests > 0) problems.push(`${report.numFailedTests} test(s) failed`);
if (report.numPendingTests + report.numTodoTests > 0)
  problems.push(`${report.numPendingTests + report.numTodoTests} test(s) were skipped`);
if (report.numTotalTests === 0) problems.push('no test ran');

console.log(`tests: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${report.numPendingTests} skipped`);
if (problems.length > 0) {
  for (const problem of problems) console.error(`ci: ${problem}`);
  process.exit(1);
}
