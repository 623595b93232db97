// The session ID a request carries, read as express-session reads it (session/store/session-id.ts).
import { createHmac } from 'node:crypto';
import express from 'express';
import session from 'express-session';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { sessionIdFromCookie } from '../../src/session/store/session-id.js';

const NAME = 'shop.sid';
const OLD = 'an-older-secret-of-at-least-32-characters';
const NEW = 'the-current-secret-of-at-least-32-characters';
/** cookie-signature's sign(), as express-session signs its cookie. */
const signature = {
  sign: (value: string, secret: string) =>
    `${value}.${createHmac('sha256', secret).update(value).digest('base64').replace(/=+$/, '')}`,
};
const cookieFor = (id: string, secret: string) => `${NAME}=${encodeURIComponent(`s:${signature.sign(id, secret)}`)}`;

describe('sessionIdFromCookie', () => {
  it('reads an ID signed with any of the secrets, URL-encoded or not', () => {
    const secrets = [NEW, OLD];
    expect(sessionIdFromCookie(cookieFor('abc', NEW), NAME, secrets)).toBe('abc');
    expect(sessionIdFromCookie(cookieFor('abc', OLD), NAME, secrets)).toBe('abc');
    expect(sessionIdFromCookie(`${NAME}=s:${signature.sign('abc', NEW)}`, NAME, secrets)).toBe('abc');
  });

  it('refuses a forged signature, also once the genuine cookie has been seen', () => {
    const secrets = [NEW];
    const genuine = cookieFor('victim', NEW);
    expect(sessionIdFromCookie(genuine, NAME, secrets)).toBe('victim');
    const forged = `${NAME}=${encodeURIComponent(`s:victim.${'A'.repeat(43)}`)}`;
    expect(sessionIdFromCookie(forged, NAME, secrets)).toBeUndefined();
    expect(sessionIdFromCookie(genuine, NAME, secrets)).toBe('victim');
  });

  it('does not carry a cookie found good under one list of secrets over to another', () => {
    const cookie = cookieFor('abc', OLD);
    expect(sessionIdFromCookie(cookie, NAME, [OLD])).toBe('abc');
    expect(sessionIdFromCookie(cookie, NAME, [NEW])).toBeUndefined();
  });

  it('ignores other cookies and unsigned values', () => {
    expect(sessionIdFromCookie(`other=${encodeURIComponent(`s:${signature.sign('abc', NEW)}`)}`, NAME, [NEW])).toBe(
      undefined,
    );
    expect(sessionIdFromCookie(`${NAME}=abc`, NAME, [NEW])).toBeUndefined();
    expect(sessionIdFromCookie(undefined, NAME, [NEW])).toBeUndefined();
  });
});

// The lock and the new-session limit key on this reading, express-session loads the
// session by its own: any header on which the two disagree would let two requests of
// one session run at once. So: the session express-session loads, against ours.
describe('sessionIdFromCookie and express-session', () => {
  const app = express();
  app.use(session({ name: NAME, secret: [NEW, OLD], resave: false, saveUninitialized: false }));
  app.get('/start', (req, res) => {
    (req.session as unknown as { seen: boolean }).seen = true;
    res.end();
  });
  app.get('/who', (req, res) => {
    const seen = (req.session as unknown as { seen?: boolean }).seen === true;
    res.json({ loaded: seen ? req.sessionID : null });
  });

  it('agree on every header, however it is written', async () => {
    const started = await request(app).get('/start');
    const value =
      String(started.headers['set-cookie']?.[0])
        .split(';')[0]
        ?.slice(NAME.length + 1) ?? '';
    const id = decodeURIComponent(value).slice(2).split('.')[0] ?? '';
    const plain = decodeURIComponent(value);
    const headers = [
      `${NAME}=${value}`,
      `${NAME}=${plain}`,
      `${NAME}="${value}"`,
      `  ${NAME}  =  ${value}  `,
      `other=1;${NAME}=${value};last=2`,
      `${NAME}=${value}; ${NAME}=forged`,
      `${NAME}=forged; ${NAME}=${value}`,
      `${NAME}=${value.replace('%3A', '%3a')}`,
      `${NAME}=${value}%`,
      `${NAME}=${value.slice(0, -1)}`,
      `${NAME}=s:${id}`,
      `${NAME}=${value}=`,
      `${NAME.toUpperCase()}=${value}`,
      `${NAME}`,
      '',
    ];
    const loaded: string[] = [];
    for (const header of headers) {
      const theirs = (await request(app).get('/who').set('Cookie', header)).body.loaded ?? undefined;
      expect({ header, ours: sessionIdFromCookie(header, NAME, [NEW, OLD]) }).toEqual({ header, ours: theirs });
      if (theirs !== undefined) loaded.push(header);
    }
    // Not agreement on "no session" alone: the well-formed spellings do load it.
    expect(loaded).toEqual(expect.arrayContaining([headers[0], headers[1], headers[2], headers[4]]));
  });
});
