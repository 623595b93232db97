// A real pino logger writing into memory, for tests that read what the app logged.
import { Writable } from 'node:stream';
import { type Level, pino } from 'pino';

/** One parsed log line: pino's numeric level, the message, and whatever else was logged. */
export type LogLine = { level: number; msg: string } & Record<string, unknown>;

export function recordingLogger(level: Level = 'debug') {
  const lines: LogLine[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as LogLine);
      done();
    },
  });
  return { logger: pino({ level }, sink), lines };
}
