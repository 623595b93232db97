import Sqlite from 'better-sqlite3';

const db = new Sqlite('/tmp/scale2.db');
console.log(db.prepare('select sqlite_version() v').get());
const time = (label: string, sql: string, ...args: unknown[]) => {
  const st = db.prepare(sql);
  st.all(...args);
  const t = performance.now();
  for (let i = 0; i < 5; i++) st.all(...args);
  console.log(label, ((performance.now() - t) / 5).toFixed(1), 'ms', st.all(...args).length);
};
const m = `p.search_id in (select rowid from products_fts where products_fts match ?)`;
time('fts rowids', `select rowid from products_fts where products_fts match ?`, '"tea"*');
time('counts', `select category, count(*) from products p where p.active = 1 and ${m} group by category`, '"tea"*');
const score = `(case when p.search_id in (select rowid from products_fts where products_fts match 'name : "tea"') then 4 when p.search_id in (select rowid from products_fts where products_fts match 'name : "tea"*') then 3 when p.search_id in (select rowid from products_fts where products_fts match '"tea"') then 2 else 1 end)`;
time(
  'scored page',
  `select p.id from products p where p.active = 1 and ${m} order by ${score} desc, p.position limit 24`,
  '"tea"*',
);
time(
  'price page',
  `select p.id from products p where p.active = 1 and ${m} order by p.price_cents, p.name, p.id limit 24 offset 480`,
  '"tea"*',
);
time('browse count', `select category, count(*) from products p where p.active = 1 group by category`);
time('deep featured', `select p.id from products p where p.active = 1 order by p.position limit 24 offset 9600`);
time('deep name', `select p.id from products p where p.active = 1 order by p.name, p.id limit 24 offset 9600`);
time(
  'deep cat price',
  `select p.id from products p where p.active = 1 and category = 'tea' order by p.price_cents, p.name, p.id limit 24 offset 9600`,
);
time(
  'narrow counts',
  `select category, count(*) from products p where p.active = 1 and ${m} group by category`,
  '"kenya"* "honey"*',
);
for (const r of db
  .prepare(
    `explain query plan select p.id from products p where p.active = 1 and ${m} order by ${score} desc, p.position limit 24`,
  )
  .all('"tea"*'))
  console.log(r);
