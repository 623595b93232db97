// A catalog of any size, the same every time for the same size: products built from
// word lists by a seeded random generator, in the categories and with the pictures of
// data/products.json. The scale bench (catalog-scale.ts) measures with it; by hand:
//   npx tsx test/bench/generate-catalog.ts 100000 /tmp/products-100k.json
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Product, parseProducts } from '../../src/catalog/products.js';

const ROOT = join(import.meta.dirname, '../..');

export const ORIGINS = [
  'Ethiopia',
  'Colombia',
  'Kenya',
  'Sumatra',
  'Guatemala',
  'Brazil',
  'Rwanda',
  'Peru',
  'Yunnan',
  'Assam',
  'Darjeeling',
  'Uji',
  'Ceylon',
  'Nilgiri',
  'Huila',
  'Sidamo',
  'Antigua',
  'Tarrazú',
  'Kona',
  'Café de Olla',
];
export const STYLES = [
  'House',
  'Morning',
  'Evening',
  'Reserve',
  'Classic',
  'Single-Origin',
  'Organic',
  'Smoky',
  'Bright',
  'Velvet',
  'Honey',
  'Washed',
  'Natural',
  'Spiced',
  'Toasted',
  'Heritage',
  'Studio',
  'Harbour',
  'Mountain',
  'Garden',
];
export const NOUNS: Record<string, string[]> = {
  coffee: ['Beans', 'Espresso Blend', 'Filter Roast', 'Decaf', 'Cold Brew Grind', 'Ristretto', 'Mocha Beans'],
  tea: ['Green Tea', 'Black Tea', 'Oolong', 'Chai', 'Matcha', 'Herbal Infusion', 'Sencha', 'Rooibos'],
  brewing: ['Grinder', 'Dripper', 'Kettle', 'French Press', 'Brew Scale', 'Milk Frother', 'Filter Papers', 'Moka Pot'],
  mugs: ['Mug', 'Cup Set', 'Travel Tumbler', 'Espresso Cups', 'Teapot', 'Saucer Set', 'Glass Beaker'],
  snacks: ['Biscotti', 'Cookies', 'Chocolate Bar', 'Granola', 'Almond Bites', 'Shortbread', 'Caramel Wafers'],
};
const PHRASES = [
  'notes of dark chocolate and ripe cherry',
  'a round body with a clean finish',
  'roasted in small batches each week',
  'hand-picked at high altitude',
  'made for slow weekend mornings',
  'a gift that keeps on giving',
  'dishwasher safe and built to last',
  'sweet, floral and a little citrus',
  'pairs well with steamed milk',
  'packed in a resealable bag',
  'brews a bold and syrupy cup',
  'calming and caffeine free',
];
const SIZES = ['100 g', '150 g', '250 g', '500 g', '1 kg', 'x20', 'Set of 2', '350 ml', '1 L'];

/** mulberry32: small, fast and the same on every machine. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const slugOf = (text: string) =>
  text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/** `count` valid products (checked with the start-up schema), the same for the same count. */
export function generateCatalog(count: number): Product[] {
  const seedFile: Product[] = JSON.parse(readFileSync(join(ROOT, 'data/products.json'), 'utf8'));
  const images = new Map<string, string[]>();
  for (const p of seedFile) images.set(p.category, [...(images.get(p.category) ?? []), p.image]);
  const categories = Object.keys(NOUNS);
  const next = random(count);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  const products: Product[] = [];
  for (let i = 1; i <= count; i++) {
    const category = pick(categories);
    const noun = pick(NOUNS[category] ?? []);
    const name = `${pick(ORIGINS)} ${pick(STYLES)} ${noun} ${pick(SIZES)}`;
    const id = `g-${String(i).padStart(6, '0')}`;
    products.push({
      id,
      slug: `${slugOf(name)}-${id}`,
      name,
      description: `${noun} with ${pick(PHRASES)}; ${pick(PHRASES)}.`,
      priceCents: 150 + Math.floor(next() * 20_000),
      category,
      stock: Math.floor(next() * 40),
      image: pick(images.get(category) ?? ['/images/products/burr-hand-grinder.svg']),
    });
  }
  return parseProducts(products, `generated catalog of ${count}`);
}

if (process.argv[1] === import.meta.filename) {
  const [count, file] = process.argv.slice(2);
  if (count === undefined || file === undefined || !(Number(count) > 0)) {
    console.error('Usage: npx tsx test/bench/generate-catalog.ts COUNT FILE');
    process.exit(2);
  }
  writeFileSync(file, JSON.stringify(generateCatalog(Number(count))));
  console.log(`Wrote ${count} products to ${file}`);
}
