// Facts read straight from the test's PostgreSQL database: what the instances'
// answers claim (one order, stock taken once) must also be true there.
import pg from 'pg';

async function query<T>(url: string, sql: string, params: unknown[]): Promise<T | undefined> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows[0] as T | undefined;
  } finally {
    await client.end();
  }
}

export async function stockOf(url: string, productId: string): Promise<number> {
  const row = await query<{ quantity: number }>(url, 'SELECT quantity FROM stock WHERE product_id = $1', [productId]);
  return row?.quantity ?? -1;
}

export async function ordersWithToken(url: string, token: string): Promise<number> {
  const row = await query<{ n: string }>(url, 'SELECT count(*) AS n FROM orders WHERE checkout_token = $1', [token]);
  return Number(row?.n ?? -1);
}
