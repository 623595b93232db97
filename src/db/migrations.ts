// Schema migrations, run at start-up. Plain column types only (text, integer), so
// the same migrations serve SQLite and PostgreSQL; only the catalog's text search
// (db/catalog-migration.ts) is written per engine.
import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import { catalogMigration } from './catalog-migration.js';

const common: Record<string, Migration> = {
  '001_initial': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('stock')
        .addColumn('product_id', 'text', (c) => c.primaryKey())
        .addColumn('quantity', 'integer', (c) => c.notNull().check(sql`quantity >= 0`))
        .execute();
      await db.schema
        .createTable('users')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('username', 'text', (c) => c.notNull().unique())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('prefs', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('saved_carts')
        .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
        .addColumn('lines', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('orders')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.references('users.id'))
        .addColumn('checkout_token', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('email', 'text', (c) => c.notNull())
        .addColumn('address', 'text', (c) => c.notNull())
        .addColumn('city', 'text', (c) => c.notNull())
        .addColumn('postal_code', 'text', (c) => c.notNull())
        .addColumn('country', 'text', (c) => c.notNull())
        .addColumn('subtotal_cents', 'integer', (c) => c.notNull())
        .addColumn('shipping_cents', 'integer', (c) => c.notNull())
        .addColumn('total_cents', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('orders_user_id').on('orders').column('user_id').execute();
      await db.schema
        .createTable('order_lines')
        .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id').onDelete('cascade'))
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('product_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('unit_price_cents', 'integer', (c) => c.notNull())
        .addColumn('quantity', 'integer', (c) => c.notNull())
        .addColumn('line_total_cents', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('order_lines_pk', ['order_id', 'position'])
        .execute();
    },
  },
  // Usernames unique by their canonical key (accounts/usernames.ts: lower case, no `.`, `_`, `-`),
  // so `r.avi` cannot register next to `ravi`. Nullable only because SQLite cannot add a
  // NOT NULL column without a default; the repository always sets it.
  '002_username_key': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('users').addColumn('username_key', 'text').execute();
      // usernameKey() in SQL, frozen here: registration only ever allowed ASCII names.
      await sql`
        update users
        set username_key = lower(replace(replace(replace(username, '.', ''), '_', ''), '-', ''))`.execute(db);
      // Lookalikes registered before this migration share a key. One of each group keeps it —
      // the canonical spelling if there is one, else the oldest account — and the others key by
      // their own (lower-case) name, which has a separator in it and so can never be anyone's
      // canonical key: nobody is locked out, and no new lookalike can join the group. Order-free:
      // the winner, never updated, is what makes every other row of its group match.
      await sql`
        update users set username_key = username
        where username <> username_key
          and exists (
            select 1 from users winner
            where winner.username_key = users.username_key
              and winner.id <> users.id
              and (winner.username = winner.username_key
                   or winner.created_at < users.created_at
                   or (winner.created_at = users.created_at and winner.id < users.id)))`.execute(db);
      // Not "users_username_key": PostgreSQL already gave that name to 001's unique (username).
      await db.schema.createIndex('users_key_unique').unique().on('users').column('username_key').execute();
    },
  },
};

export type Engine = 'sqlite' | 'postgres';

/** From 003 on, a migration may differ per engine: each engine's own text search. */
const providerFor = (engine: Engine): MigrationProvider => ({
  getMigrations: async () => ({ ...common, '003_catalog': catalogMigration(engine), ...afterCatalog(engine) }),
});

const afterCatalog = (engine: Engine): Record<string, Migration> => ({
  // A member's order history, a page at a time in the order it is shown (orders/order-reads.ts).
  '004_orders_by_user': {
    async up(db: Kysely<unknown>) {
      // Building it waits for the checkouts in flight and reads the whole table: not under the
      // limits of one request (db/connect.ts), which a rolling deploy's busy table would exceed.
      if (engine === 'postgres') {
        await sql`set local lock_timeout = '60s'`.execute(db);
        await sql`set local statement_timeout = '10min'`.execute(db);
      }
      await db.schema.createIndex('orders_user_recent').on('orders').columns(['user_id', 'created_at', 'id']).execute();
    },
  },
});

/**
 * Brings the schema up to date; safe when several instances start at once. On
 * PostgreSQL, kysely's Migrator already does it: it creates its own tables with
 * IF NOT EXISTS and tolerates losing that race, then runs the migrations in one
 * transaction under a session pg_advisory_lock and re-reads what is done once it
 * holds the lock. On SQLite it takes no lock and no transaction, so a second
 * process would run 001 again ("table stock already exists"): there we take the
 * write lock first (BEGIN IMMEDIATE waits busy_timeout for it), which also makes a
 * failed migration roll back whole.
 */
export async function migrate(db: Kysely<unknown>, engine: Engine, upTo?: string): Promise<void> {
  // `upTo` stops at that migration: tests build a database as an older version left it.
  const run = (on: Kysely<unknown>) => {
    const migrator = new Migrator({ db: on, provider: providerFor(engine) });
    return upTo === undefined ? migrator.migrateToLatest() : migrator.migrateTo(upTo); // never throw: they report
  };
  const { error, results } =
    engine === 'sqlite'
      ? await db.connection().execute(async (conn) => {
          await sql`begin immediate`.execute(conn);
          const outcome = await run(conn);
          await sql.raw(outcome.error ? 'rollback' : 'commit').execute(conn);
          return outcome;
        })
      : await run(db);
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`Database migration ${failed?.migrationName ?? ''} failed: ${String(error)}`, { cause: error });
  }
}
