// The session's Set-Cookie header taken apart for the inspector, one part at a time,
// each with what it is for. The signature is never shown: with it, the ID is a key.
import type { Cookie } from 'express-session';
import { shortId } from '../../session/store/session-id.js';
import { type TimeView, timeView } from './time-view.js';

export type CookiePart = { text: string; meaning: string };
export type SetCookieView = { header: string; parts: CookiePart[]; expires?: TimeView };

const SIGNATURE = '[signature]';

/** The cookie's attributes as express-session will send them. */
export function cookieFacts(c: Cookie) {
  return {
    expires: c.expires instanceof Date ? c.expires.toISOString() : null,
    maxAgeMs: c.maxAge ?? null,
    httpOnly: c.httpOnly ?? false,
    secure: c.secure ?? false,
    sameSite: c.sameSite ?? null,
    path: c.path ?? '/',
  };
}

/** The header as express-session writes it (cookie package order), the signature elided. */
export function setCookieView(name: string, sessionId: string, cookie: Cookie): SetCookieView {
  const id = shortId(sessionId);
  const expires = cookie.expires instanceof Date ? cookie.expires : undefined;
  const parts: CookiePart[] = [
    {
      text: name,
      meaning: 'The cookie’s name (SESSION_COOKIE_NAME): not the default connect.sid, which names the stack.',
    },
    { text: 's%3A', meaning: '“s:” URL-encoded: what follows is signed.' },
    {
      text: id,
      meaning: 'The session ID (shortened here): the key of this session in the store. Nothing else is in the cookie.',
    },
    {
      text: `.${SIGNATURE}`,
      meaning: 'An HMAC-SHA256 of the ID with SESSION_SECRET (hidden here). A changed or made-up ID fails this check.',
    },
  ];
  const attributes: CookiePart[] = [];
  if (cookie.path) attributes.push({ text: `Path=${cookie.path}`, meaning: 'Sent with requests for every page.' });
  if (expires) {
    attributes.push({
      text: `Expires=${expires.toUTCString()}`,
      meaning: 'Moved forward on every response (rolling: true): the lifetime is an idle timeout.',
    });
  }
  if (cookie.httpOnly) attributes.push({ text: 'HttpOnly', meaning: 'Page scripts cannot read it.' });
  if (cookie.secure) attributes.push({ text: 'Secure', meaning: 'Sent over HTTPS only.' });
  if (typeof cookie.sameSite === 'string') {
    const value = cookie.sameSite[0]?.toUpperCase() + cookie.sameSite.slice(1);
    attributes.push({
      text: `SameSite=${value}`,
      meaning: 'Not sent with cross-site POSTs: a first line against CSRF.',
    });
  }
  const header = [`${name}=s%3A${id}.${SIGNATURE}`, ...attributes.map((a) => a.text)].join('; ');
  return { header, parts: [...parts, ...attributes], ...(expires ? { expires: timeView(expires) } : {}) };
}
