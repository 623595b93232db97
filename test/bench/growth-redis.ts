// A private Redis holding any number of sessions for the growth section (growth.ts):
// copies of a real session the store wrote, each under a new ID with its own CSRF token
// and the original's time to live, under the store's key prefix. A million node-redis
// calls take most of a minute; the SETs go out instead as raw RESP over one socket, in
// large pipelined chunks (Redis's "mass insertion"), about ten times faster. Only ever
// pointed at a redis-server the bench started itself: nothing shared is written.
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { createClient } from 'redis';

export type RedisFill = { seconds: number; usedMemoryGrowth: number; sampled: number; sampledBytes: number };

const CHUNK = 10_000; // commands per write
const SAMPLE = 100; // keys whose MEMORY USAGE is averaged

export async function fillRedis(url: string, templateKey: string, count: number): Promise<RedisFill> {
  const client = createClient({ url });
  await client.connect();
  try {
    const template = await client.get(templateKey);
    const ttl = await client.ttl(templateKey);
    if (template === null || ttl <= 0) throw new Error(`no session with a lifetime at ${templateKey}`);
    const token = (JSON.parse(template) as { csrfToken?: unknown }).csrfToken;
    const parts = typeof token === 'string' && token !== '' ? template.split(token) : [];
    // The token, when the session has one, replaced by a fresh one in each copy.
    const [before, after] = parts.length === 2 ? parts : [template, undefined];
    const usedMemory = async () => Number(/^used_memory:(\d+)/m.exec(await client.info('memory'))?.[1] ?? Number.NaN);
    const usedBefore = await usedMemory();
    const started = performance.now();
    await pipelineSets(url, count, (random) => [
      `shop:sess:${random.subarray(0, 24).toString('base64url')}`,
      after === undefined ? template : `${before}${random.subarray(24, 42).toString('base64url')}${after}`,
      String(ttl),
    ]);
    const seconds = (performance.now() - started) / 1000;
    const usedMemoryGrowth = (await usedMemory()) - usedBefore;
    const sample: number[] = [];
    for await (const keys of client.scanIterator({ MATCH: 'shop:sess:*', COUNT: SAMPLE })) {
      for (const key of keys.slice(0, SAMPLE - sample.length)) {
        sample.push(Number(await client.sendCommand(['MEMORY', 'USAGE', key])));
      }
      if (sample.length >= SAMPLE) break;
    }
    const sampledBytes = sample.reduce((sum, b) => sum + b, 0) / Math.max(sample.length, 1);
    return { seconds, usedMemoryGrowth, sampled: sample.length, sampledBytes };
  } finally {
    await client.quit();
  }
}

/** `count` SET key value EX ttl, the parts made from 42 random bytes each; resolves once Redis answered every one. */
async function pipelineSets(url: string, count: number, entry: (random: Buffer) => [string, string, string]) {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  await once(socket, 'connect');
  try {
    const answered = countReplies(socket, count);
    for (let sent = 0; sent < count; sent += CHUNK) {
      const n = Math.min(CHUNK, count - sent);
      const random = randomBytes(42 * n);
      let text = '';
      for (let i = 0; i < n; i++) {
        const [key, value, ttl] = entry(random.subarray(42 * i, 42 * (i + 1)));
        text += `*5\r\n$3\r\nSET\r\n${bulk(key)}${bulk(value)}$2\r\nEX\r\n${bulk(ttl)}`;
      }
      if (!socket.write(text)) await once(socket, 'drain');
    }
    await answered;
  } finally {
    socket.destroy();
  }
}

const bulk = (text: string) => `$${Buffer.byteLength(text)}\r\n${text}\r\n`;

/** Every reply to a SET is `+OK\r\n`: one line each. Anything starting with `-` is an error. */
function countReplies(socket: Socket, expected: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let lines = 0;
    socket.on('error', reject);
    socket.on('data', (chunk: Buffer) => {
      if (chunk.includes(0x2d)) reject(new Error(`Redis refused a SET: ${chunk.toString().slice(0, 200)}`));
      for (let at = chunk.indexOf(0x0a); at >= 0; at = chunk.indexOf(0x0a, at + 1)) lines++;
      if (lines >= expected) resolve();
    });
  });
}
