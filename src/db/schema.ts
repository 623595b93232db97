// Table types for Kysely. Column names are snake_case in the database and stay so
// here; the repositories translate to the domain's camelCase.
export type Database = {
  stock: { product_id: string; quantity: number };
  products: {
    id: string;
    slug: string;
    name: string;
    description: string;
    price_cents: number;
    category: string;
    image: string;
    /** The stock the catalog file gave; the live level is in `stock`. */
    seed_stock: number;
    /** The product's place in its file: the "featured" order. */
    position: number;
    /** 1 on sale, 0 withdrawn (left out of the last imported file). */
    active: number;
    /** The catalog_version that last changed this row: instances load what changed since their own. */
    changed_in: number;
    /** The product's number in SQLite's FTS5 index (its rowid there). */
    search_id: number;
  };
  catalog_version: { id: number; version: number };
  /** Every word of the active products, lower case and unaccented: what a misspelling is corrected to. */
  catalog_words: { word: string };
  users: {
    id: string;
    username: string;
    /** usernameKey(username), unique; null only for a row written by something other than UserRepository. */
    username_key: string | null;
    password_hash: string;
    prefs: string; // JSON: Partial<Prefs>
    created_at: string;
  };
  saved_carts: {
    user_id: string;
    lines: string; // JSON: CartLine[]
    updated_at: string;
  };
  orders: {
    id: string;
    user_id: string | null;
    checkout_token: string;
    name: string;
    email: string;
    address: string;
    city: string;
    postal_code: string;
    country: string;
    subtotal_cents: number;
    shipping_cents: number;
    total_cents: number;
    created_at: string;
  };
  order_lines: {
    order_id: string;
    position: number;
    product_id: string;
    name: string;
    unit_price_cents: number;
    quantity: number;
    line_total_cents: number;
  };
};
