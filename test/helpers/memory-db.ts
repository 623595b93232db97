// A test that names `db` in its context gets a SQLite :memory: database of its own,
// every migration applied. Suites that test repositories without the app extend it
// with the repositories they read, so each test starts from an empty database.
import { test } from 'vitest';
import { openDatabase } from '../../src/db/connect.js';

export const dbTest = test.extend('db', async () => openDatabase(':memory:'));
