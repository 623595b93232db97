// Which database a DATABASE_URL names, said for a person (the start-up line, the catalog
// import): a SQLite file's full path, or PostgreSQL's host and database, never the user
// or the password the URL may hold.
import { resolve } from 'node:path';
import { isPostgresUrl } from './connect.js';

export function databaseLabel(url: string): string {
  if (isPostgresUrl(url)) {
    const { host, pathname } = new URL(url);
    return `PostgreSQL at ${host || 'localhost'}${pathname}`;
  }
  return url === ':memory:' ? 'SQLite in memory' : `SQLite at ${resolve(url)}`;
}
