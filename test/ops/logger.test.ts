// The process's logger (src/logger.ts): JSON lines for a collector, pino-pretty's lines for
// a person at a terminal, as LOG_FORMAT says.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createLogger, wantsPretty } from '../../src/logger.js';

/** A stdout stand-in that keeps what is written, a terminal or not. */
function output(isTTY: boolean) {
  const written: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      written.push(chunk.toString());
      done();
    },
  });
  return { stream: Object.assign(stream, { isTTY }), text: () => written.join('') };
}

/** One request's access line, as web/http/logging.ts writes it. */
function logRequest(format: string, isTTY: boolean): string {
  const out = output(isTTY);
  const logger = createLogger(loadConfig({ LOG_FORMAT: format, LOG_LEVEL: 'info' }), out.stream);
  const line = { req: { id: 'lb1-42', method: 'GET', url: '/cart' }, res: { statusCode: 200 }, responseTime: 7 };
  logger.info(line, 'request completed');
  return out.text();
}

const ESCAPE = '\u001b[';

describe('wantsPretty', () => {
  it.each([
    ['auto', true, true],
    ['auto', false, false],
    ['pretty', false, true],
    ['pretty', true, true],
    ['json', true, false],
    ['json', false, false],
  ] as const)('LOG_FORMAT=%s, stdout a terminal: %s → pretty: %s', (format, terminal, pretty) => {
    expect(wantsPretty(format, terminal)).toBe(pretty);
  });
});

describe('createLogger', () => {
  it('writes one JSON object a line when stdout is not a terminal', () => {
    const text = logRequest('auto', false);
    expect(JSON.parse(text)).toMatchObject({
      level: 30,
      msg: 'request completed',
      req: { id: 'lb1-42', method: 'GET', url: '/cart' },
      res: { statusCode: 200 },
      responseTime: 7,
    });
  });

  it('writes a readable, coloured line at a terminal: time, level, the request and its id', () => {
    const text = logRequest('auto', true);
    expect(text).toContain(ESCAPE);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the colour codes are what is taken out
    const plain = text.replace(/\u001b\[\d+m/g, '');
    expect(plain).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: request completed · GET \/cart → 200 in 7 ms · lb1-42\n$/);
  });

  it('writes pretty lines without colour codes into a file or a pipe when LOG_FORMAT=pretty', () => {
    const text = logRequest('pretty', false);
    expect(text).not.toContain(ESCAPE);
    expect(text).toContain('INFO: request completed · GET /cart → 200 in 7 ms · lb1-42');
  });

  it('writes JSON at a terminal when LOG_FORMAT=json', () => {
    expect(JSON.parse(logRequest('json', true))).toMatchObject({ msg: 'request completed', req: { id: 'lb1-42' } });
  });
});
