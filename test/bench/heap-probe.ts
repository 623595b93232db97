// Preloaded (node --expose-gc --import) into the servers the memory benchmark
// measures, the store included: on SIGUSR2 it runs a full GC and writes
// process.memoryUsage() to BENCH_PROBE_FILE. The app gains no route and no code.
import { renameSync, writeFileSync } from 'node:fs';

const file = process.env.BENCH_PROBE_FILE;
if (file) {
  process.on('SIGUSR2', () => {
    // Twice: the first pass may only queue weak references and finalizers.
    globalThis.gc?.();
    globalThis.gc?.();
    // Write then rename, so the reader never sees half a file.
    writeFileSync(`${file}.tmp`, JSON.stringify(process.memoryUsage()));
    renameSync(`${file}.tmp`, file);
  });
}
