// Run as its own process (node --import tsx test/db/instance-process.ts <database-url>):
// loads everything, prints "ready", waits for a line on stdin (so that several
// processes start at the same moment), then starts one instance as src/server.ts
// would, up to listening, and prints "up" (exit 0) or the error (exit 1).
import { once } from 'node:events';
import { startInstance } from './start-instance.js';

const url = process.argv[2];
if (!url) throw new Error('usage: instance-process.ts <database-url>');
console.log('ready');
await once(process.stdin, 'data');
process.stdin.pause();
try {
  const instance = await startInstance(url);
  await instance.db.destroy();
  console.log('up');
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
}
