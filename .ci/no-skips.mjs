// Refuses a vitest JSON report in which any test did not run. vitest counts an
// it.todo as a pass and prints a skip in grey, so a known bug left as a reminder,
// or a suite that quietly skipped, would otherwise ship green. CI sets
// REQUIRE_SERVICES=1, under which the service suites fail rather than skip when
// Redis, PostgreSQL or a browser is missing: any test left unrun here is a fault.
// Usage: node .ci/no-skips.mjs <report.json>
import { readFileSync } from 'node:fs';

// The JSON reporter's statuses for a test that did not run (it.todo, it.skip,
// describe.skipIf, a filtered-out test, a disabled one).
const UNRUN = new Set(['skipped', 'pending', 'todo', 'disabled']);

const path = process.argv[2];
if (path === undefined) {
  console.error('usage: node .ci/no-skips.mjs <vitest JSON report>');
  process.exit(2);
}
const report = JSON.parse(readFileSync(path, 'utf8'));
if (!Array.isArray(report.testResults) || report.numTotalTests === undefined) {
  console.error(`${path} is not a vitest JSON report`);
  process.exit(2);
}
const unrun = report.testResults.flatMap((file) =>
  (file.assertionResults ?? [])
    .filter((test) => UNRUN.has(test.status))
    .map((test) => `  ${test.status}: ${file.name}: ${test.fullName}`),
);
if (unrun.length > 0) {
  console.error(`${unrun.length} test(s) did not run: write them, make them run, or delete them.`);
  console.error(unrun.join('\n'));
  process.exit(1);
}
console.log(`${report.numTotalTests} tests, every one of them run.`);
