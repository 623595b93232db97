// SQLite statements are prepared once and run many times (db/connect.ts preparingOnce).
import Sqlite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { preparingOnce } from '../../src/db/connect.js';

describe('preparingOnce', () => {
  it('hands out one prepared statement per SQL text, which keeps giving fresh results', () => {
    const raw = new Sqlite(':memory:');
    raw.exec('create table stock (id text primary key, level integer)');
    const db = preparingOnce(raw);
    const insert = db.prepare('insert into stock (id, level) values (?, ?)');
    insert.run(['p-001', 5]);
    db.prepare('insert into stock (id, level) values (?, ?)').run(['p-002', 7]);
    expect(db.prepare('insert into stock (id, level) values (?, ?)')).toBe(insert);

    const read = 'select level from stock where id = ?';
    expect(db.prepare(read).all(['p-001'])).toEqual([{ level: 5 }]);
    db.prepare('update stock set level = level - 1 where id = ?').run(['p-001']);
    expect(db.prepare(read).all(['p-001'])).toEqual([{ level: 4 }]);
    expect(db.prepare(read)).not.toBe(insert);
  });

  it('keeps working after the schema changes under a kept statement', () => {
    const raw = new Sqlite(':memory:');
    raw.exec('create table stock (id text primary key, level integer)');
    const db = preparingOnce(raw);
    const read = 'select * from stock';
    expect(db.prepare(read).all([])).toEqual([]);
    raw.exec("alter table stock add column note text default 'new'");
    db.prepare('insert into stock (id, level) values (?, ?)').run(['p-001', 1]);
    expect(db.prepare(read).all([])).toEqual([{ id: 'p-001', level: 1, note: 'new' }]);
  });
});
