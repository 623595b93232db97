// Table types for Kysely. Column names are snake_case in the database and stay so
// here; the repositories translate to the domain's camelCase.
export type Database = {
  stock: { product_id: string; quantity: number };
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
