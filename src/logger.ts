// The process's logger: one JSON object a line for whatever collects the logs, or
// pino-pretty's lines for a person at a terminal (LOG_FORMAT, config.ts). Either way the
// same fields: a request's lines carry its id (web/http/logging.ts).
import { type DestinationStream, type Logger, pino } from 'pino';
import { prettyFactory } from 'pino-pretty';
import type { Config } from './config.js';

const LOG_BUFFER_BYTES = 4096;
const LOG_FLUSH_MS = 1000;

type LogSettings = Pick<Config, 'logLevel' | 'logFormat'>;
/** Where lines go: stdout, or a test's stream that says whether it is a terminal. */
type Output = DestinationStream & { isTTY?: boolean };

/** auto: pretty at a terminal (`npm run dev`), JSON into a file, a pipe, a container's log. */
export function wantsPretty(format: Config['logFormat'], isTerminal: boolean): boolean {
  return format === 'pretty' || (format === 'auto' && isTerminal);
}

export function createLogger({ logLevel, logFormat }: LogSettings, output?: Output): Logger {
  const isTerminal = (output ?? process.stdout).isTTY === true;
  if (wantsPretty(logFormat, isTerminal)) {
    // Written at once: a person watching the terminal should not wait for a buffer to fill.
    return pino({ level: logLevel }, prettyLines(output ?? pino.destination({ sync: true }), isTerminal));
  }
  // Lines are gathered into writes of about 4 kB, and whatever is gathered goes out at
  // least once a second: a write per line cost about a tenth of a request's CPU (each one a
  // hand-off to a libuv thread and back). pino writes the rest on exit, crashes included.
  const json = output ?? pino.destination({ sync: false, minLength: LOG_BUFFER_BYTES, periodicFlush: LOG_FLUSH_MS });
  return pino({ level: logLevel }, json);
}

/**
 * Each JSON line made readable in this thread, as it is written: no worker to lose the last
 * lines when the process exits at once. A request's line reads
 * `[12:00:01.042] INFO: request completed · GET /cart → 200 in 3 ms · 0f8c…`.
 */
function prettyLines(into: DestinationStream, colorize: boolean): DestinationStream {
  const pretty = prettyFactory({
    colorize,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,req,res,responseTime',
    messageFormat:
      '{msg}{if req.method} · {req.method} {req.url}{end}{if res.statusCode} → {res.statusCode}{end}' +
      '{if responseTime} in {responseTime} ms{end}{if req.id} · {req.id}{end}',
  });
  return { write: (line: string) => into.write(pretty(line)) };
}
