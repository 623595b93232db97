// The request's id: the one HAProxy (deploy/haproxy.cfg) or another caller sent in
// X-Request-Id when it is a sane token, else a new UUID. web/http/logging.ts puts it on every
// log line of the request and on every answer; the error page asks the shopper to quote it.
import { randomUUID } from 'node:crypto';

export const REQUEST_ID_HEADER = 'X-Request-Id';

/**
 * 1–128 letters, digits and `. _ : -`: a UUID, HAProxy's unique-id, a trace id all fit.
 * Anything else (spaces, newlines, quotes, a kilobyte) is replaced rather than trimmed: an id
 * cut to fit would match nothing upstream, and a header must not be able to forge a log
 * line. Two X-Request-Id headers arrive joined by ", " and are replaced too.
 */
const SANE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestIdFrom(sent: string | string[] | undefined): string {
  return typeof sent === 'string' && SANE_ID.test(sent) ? sent : randomUUID();
}
