// A shopper for the scale suites: one cookie jar, JSON in and out, and every answer
// recorded with its latency, so a test can assert on all of them at the end.
// Plain node:http(s) rather than supertest: the requests go to real processes, over
// TLS to HAProxy with the suite's own certificate authority.
import http from 'node:http';
import https from 'node:https';

export type Answer = {
  method: string;
  path: string;
  /** 0 when no answer came at all (connection refused, reset, client timeout). */
  status: number;
  ms: number;
  body: unknown;
  error?: string;
  setCookie: string[];
  /** The answer's X-Request-Id: HAProxy's id for the request, logged by it and the instance. */
  requestId?: string;
};

export type ShopperOptions = {
  /** Where requests go unless told otherwise: the proxy (https) or one instance (http). */
  base: string;
  /** The proxy's certificate, trusted as a CA for this shopper only. */
  ca?: string;
  /** Headers every request carries (see faults.test.ts: the test standing in for the proxy). */
  headers?: Record<string, string>;
  /** A request unanswered after this long is recorded as status 0: a hung server must not hang the suite. */
  timeoutMs?: number;
  cookieName?: string;
};

/** Per request: where it goes (another instance, same cookie) and what it accepts. */
export type RequestOptions = { at?: string; accept?: string };

export class Shopper {
  cookie: string | undefined;
  readonly answers: Answer[] = [];
  /**
   * Every connection that failed under a request, as "METHOD path: error", even the ones
   * sent again below and then answered: a browser retries too, but a deploy that drops
   * no connection has none to retry.
   */
  readonly resets: string[] = [];
  // One keep-alive pool per shopper, like a browser; no socket cap, so 40 parallel adds are 40 connections.
  private readonly http = new http.Agent({ keepAlive: true });
  private readonly https: https.Agent;

  constructor(private readonly options: ShopperOptions) {
    this.https = new https.Agent({ keepAlive: true, ca: options.ca });
  }

  get base(): string {
    return this.options.base;
  }

  get(path: string, options: RequestOptions = {}): Promise<Answer> {
    return this.send('GET', path, undefined, options);
  }

  post(path: string, body: object = {}, options: RequestOptions = {}): Promise<Answer> {
    return this.send('POST', path, body, options);
  }

  /** Closes the shopper's connections; a request after this opens a new one. */
  close(): void {
    this.http.destroy();
    this.https.destroy();
  }

  send(
    method: string,
    path: string,
    body: object | undefined,
    options: RequestOptions,
    retried = false,
  ): Promise<Answer> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = { accept: options.accept ?? 'application/json', ...this.options.headers };
    if (payload !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(Buffer.byteLength(payload));
    }
    if (this.cookie) headers.cookie = this.cookie;
    const started = performance.now();
    const url = new URL(path, options.at ?? this.options.base);
    const secure = url.protocol === 'https:';
    const [transport, agent] = secure ? [https, this.https] : [http, this.http];
    return new Promise<Answer>((resolve) => {
      const done = (answer: Omit<Answer, 'method' | 'path' | 'ms'>) => {
        const recorded = { method, path, ms: Math.round(performance.now() - started), ...answer };
        this.answers.push(recorded);
        resolve(recorded);
      };
      let answered = false;
      const req = transport.request(url, { method, headers, agent }, (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', (err) => done({ status: 0, body: undefined, error: err.message, setCookie: [] }));
        res.on('end', () => {
          const setCookie = res.headers['set-cookie'] ?? [];
          this.keepCookie(setCookie);
          const text = Buffer.concat(chunks).toString('utf8');
          const requestId = res.headers['x-request-id'];
          const body = parse(text, res.headers['content-type']);
          done({
            status: res.statusCode ?? 0,
            body,
            setCookie,
            requestId: typeof requestId === 'string' ? requestId : undefined,
          });
        });
      });
      req.setTimeout(this.options.timeoutMs ?? 15_000, () => req.destroy(new Error('client timeout')));
      req.on('error', (err) => {
        this.resets.push(`${method} ${path}: ${err.message}`);
        // A kept-alive connection the other end closed just as this request went out:
        // nothing was answered, so, as browsers do (and Node's docs advise with
        // req.reusedSocket), send it once more.
        if (req.reusedSocket && !retried && !answered) {
          resolve(this.send(method, path, body, options, true));
          return;
        }
        done({ status: 0, body: undefined, error: err.message, setCookie: [] });
      });
      req.end(payload);
    });
  }

  /** The session cookie only, as a browser would send it back. */
  private keepCookie(setCookie: string[]): void {
    const name = this.options.cookieName ?? 'shop.sid';
    const found = setCookie.find((c) => c.startsWith(`${name}=`));
    const pair = found?.split(';')[0];
    if (pair === undefined) return;
    // An expired, emptied cookie (logout clearing it) means "no cookie".
    this.cookie = pair === `${name}=` ? undefined : pair;
  }
}

function parse(text: string, type: string | undefined): unknown {
  if (!type?.includes('application/json')) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The error message of a JSON error answer, or the start of an HTML one. */
export function errorText(answer: Answer): string {
  const body = answer.body;
  if (typeof body === 'object' && body !== null && 'error' in body) return String(body.error);
  if (typeof body === 'string') return body.replace(/\s+/g, ' ').slice(0, 120);
  return answer.error ?? '';
}

export function isSuccess(a: Answer): boolean {
  return a.status >= 200 && a.status < 300;
}

/** One answer on one line, for assertion messages and reports. */
export function answerLine(a: Answer): string {
  return `${a.method} ${a.path} → ${a.status} in ${a.ms} ms ${isSuccess(a) ? '' : errorText(a)}`.trim();
}

/** "200×38, 503 The session store is unavailable…×2": what came back, at a glance. */
export function statusCounts(answers: Answer[]): string {
  const counts = new Map<string, number>();
  for (const a of answers) {
    const key = isSuccess(a) ? String(a.status) : `${a.status} ${errorText(a)}`.trim();
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([key, n]) => `${key}×${n}`).join(', ');
}

/** Answers that are neither a success nor a 503 whose message matches `unavailable`, one line each. */
export function neitherSuccessNor503(answers: Answer[], unavailable: RegExp): string[] {
  return answers.filter((a) => !(isSuccess(a) || (a.status === 503 && unavailable.test(errorText(a))))).map(answerLine);
}

/** Answers that took longer than `ms`, one line each. */
export function slowerThan(answers: Answer[], ms: number): string[] {
  return answers.filter((a) => a.ms > ms).map(answerLine);
}
