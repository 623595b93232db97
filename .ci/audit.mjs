// npm audit of the runtime dependencies: fails on a known high or critical advisory.
// When the registry's advisory endpoint does not answer (some mirrors refuse it),
// says so and passes: an unreachable endpoint proves nothing either way.
import { spawnSync } from 'node:child_process';

const run = spawnSync('npm', ['audit', '--omit=dev', '--audit-level=high', '--json'], { encoding: 'utf8' });
let report;
try {
  report = JSON.parse(run.stdout);
} catch {
  console.error(`npm audit printed no report:\n${run.stdout}${run.stderr}`);
  process.exit(1);
}
const counts = report.metadata?.vulnerabilities;
if (counts === undefined) {
  console.log(
    `npm audit: skipped, the advisory endpoint did not answer (${report.message ?? report.error?.summary ?? 'no reason given'})`,
  );
  process.exit(0);
}
const serious = (counts.high ?? 0) + (counts.critical ?? 0);
console.log(`npm audit (runtime dependencies): ${JSON.stringify(counts)}`);
if (serious > 0) {
  for (const [name, v] of Object.entries(report.vulnerabilities ?? {})) {
    if (v.severity === 'high' || v.severity === 'critical') console.error(`  ${v.severity}: ${name} ${v.range ?? ''}`);
  }
  process.exit(1);
}
