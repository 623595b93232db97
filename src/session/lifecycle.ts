// Session lifecycle as promises: regenerate on every change of identity (login,
// logout, auth expiry) so a session ID seen before never grants more later.
import type { Request } from 'express';

export function regenerateSession(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.regenerate((err) => (err ? reject(err) : resolve())));
}

/**
 * Saves now. Every answer already waits for this (session/commit.ts), redirects
 * included, so the browser never follows a redirect to a session not yet stored.
 */
export function saveSession(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.save((err) => (err ? reject(err) : resolve())));
}

export function destroySession(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.destroy((err) => (err ? reject(err) : resolve())));
}
