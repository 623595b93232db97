// Load with autocannon. A slice sends a fixed number of requests and waits for
// every answer, so it never ends by hanging up on requests in flight (the store
// would keep their sessions locked: see throughput.ts). Latencies are collected
// response by response, so percentiles are computed over all slices together.
// Cookies: none, one shared by every connection, or one per connection. Given the
// server's pid, a slice also reads the CPU time the server spent on it (cpu.ts).
import autocannon from 'autocannon';
import { cpuSeconds } from './cpu.js';

export type LoadRequest = autocannon.Request;

export type Load = {
  url: string;
  requests: LoadRequest[];
  /** Given to connections in turn: one entry = one session shared by all. */
  cookies: string[];
  connections: number;
};

export type Slice = {
  seconds: number;
  latenciesMs: number[];
  non2xx: number;
  errors: number;
  /** Server CPU seconds over the slice; NaN when no pid was given. */
  cpuSeconds: number;
};

export type Measurement = {
  requestsPerSec: number;
  p99Ms: number;
  /** Server CPU time per answered request, in microseconds; NaN when not measured. */
  cpuUsPerRequest: number;
  total: number;
  non2xx: number;
  errors: number;
};

/**
 * Sends `amount` requests as fast as `load.connections` allow and waits for every answer.
 * autocannon gives each connection an equal share of `amount`.
 */
export function slice(load: Load, amount: number, serverPid?: number): Promise<Slice> {
  return new Promise((resolve, reject) => {
    const latenciesMs: number[] = [];
    const cpuBefore = serverPid === undefined ? Number.NaN : cpuSeconds(serverPid);
    const startedAt = performance.now();
    let lastAnswerAt = startedAt;
    // Timed by the last answer: autocannon notices the end only at its next sample tick.
    const instance = autocannon({ ...options(load), amount }, (err, result) => {
      if (err) return reject(err);
      // Read at once: the server is idle from the last answer on, so the ~50 ms to
      // autocannon's next tick adds no server CPU (a tick is 10 ms anyway).
      const cpu = serverPid === undefined ? Number.NaN : cpuSeconds(serverPid) - cpuBefore;
      const seconds = (lastAnswerAt - startedAt) / 1000;
      resolve({ seconds, latenciesMs, non2xx: result.non2xx, errors: result.errors, cpuSeconds: cpu });
    });
    instance.on('response', (_client, _status, _bytes, responseTimeMs) => {
      latenciesMs.push(responseTimeMs);
      lastAnswerAt = performance.now();
    });
  });
}

export function requestsPerSec(s: Slice): number {
  return s.seconds > 0 ? s.latenciesMs.length / s.seconds : 0;
}

export function combine(slices: Slice[]): Measurement {
  const latencies = slices.flatMap((s) => s.latenciesMs).sort((a, b) => a - b);
  const seconds = slices.reduce((sum, s) => sum + s.seconds, 0);
  const cpu = slices.reduce((sum, s) => sum + s.cpuSeconds, 0);
  return {
    requestsPerSec: seconds > 0 ? latencies.length / seconds : 0,
    p99Ms: latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.99))] ?? 0,
    cpuUsPerRequest: latencies.length > 0 ? (cpu * 1e6) / latencies.length : Number.NaN,
    total: latencies.length,
    non2xx: slices.reduce((sum, s) => sum + s.non2xx, 0),
    errors: slices.reduce((sum, s) => sum + s.errors, 0),
  };
}

function options(load: Load): autocannon.Options {
  let next = 0;
  const withCookie = (cookie: string) =>
    load.requests.map((request) => ({ ...request, headers: { ...request.headers, cookie } }));
  return {
    url: load.url,
    connections: load.connections,
    sampleInt: 50, // ms; autocannon checks for the end of a run on this tick (default 1 s)
    requests: load.requests,
    setupClient: (client) => {
      const cookie = load.cookies[next++ % load.cookies.length];
      if (cookie !== undefined) client.setRequests(withCookie(cookie));
    },
  };
}
