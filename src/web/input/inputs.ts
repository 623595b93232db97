// Field schemas shared by several forms. Forms send strings and JSON sends
// numbers: both are accepted, but only as whole numbers — never `true`, `null` or "2.5".
import { z } from 'zod';
import { PRODUCT_ID } from '../../catalog/products.js';

// Digits only, as a form's <select> sends them: no spaces or newlines around them
// (Number() would quietly drop those), no "0x10", "1e3" or "+1", no non-ASCII digits.
const wholeNumber = (v: unknown) => (typeof v === 'string' && /^-?[0-9]{1,9}$/.test(v) ? Number(v) : v);

export const quantitySchema = z.preprocess(
  wholeNumber,
  z
    .number({ error: 'must be a whole number' })
    .int({ error: 'must be a whole number' })
    .min(0, { error: 'must be 0 or more' })
    .max(100_000, { error: 'is far too large' }),
);

export const productIdSchema = z
  .string({ error: 'must be a product id' })
  .regex(PRODUCT_ID, { error: 'must be a product id' });

export const addQuantitySchema = quantitySchema.refine((n) => n >= 1, { error: 'must be at least 1' });
