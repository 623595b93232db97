// The session ID a request carries, read as express-session reads it (session/session-id.ts).
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sessionIdFromCookie } from '../../src/session/session-id.js';

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
