// The checkout form's rules: one message per problem, in words for a shopper.
import { describe, expect, it } from 'vitest';
import { CONTACT_LABELS, contactSchema } from '../../src/orders/contact.js';

const valid = {
  name: 'Ada Lovelace',
  email: 'ada@example.com',
  address: '12 St James’s Square',
  city: 'London',
  postalCode: 'SW1Y 4JH',
  country: 'United Kingdom',
};

/** The message for each field that was refused. */
function problems(input: Record<string, unknown>): Record<string, string> {
  const result = contactSchema.safeParse(input);
  if (result.success) return {};
  return Object.fromEntries(result.error.issues.map((i) => [String(i.path[0]), i.message]));
}

describe('contactSchema', () => {
  it('takes a complete address, trimmed', () => {
    expect(contactSchema.parse({ ...valid, city: '  London ' })).toEqual(valid);
  });

  it('names what is missing, field by field, a blank field included', () => {
    expect(problems({ ...valid, name: undefined, city: '   ' })).toEqual({
      name: 'enter your full name',
      city: 'enter your town or city',
    });
  });

  it('says a value that is not text is not text, rather than missing', () => {
    expect(problems({ ...valid, postalCode: 1234, country: ['UK', 'FR'] })).toEqual({
      postalCode: 'must be text',
      country: 'must be text',
    });
  });

  it('says how long a field may be', () => {
    expect(problems({ ...valid, postalCode: 'x'.repeat(21) })).toEqual({
      postalCode: 'must be at most 20 characters',
    });
    expect(problems({ ...valid, postalCode: 'x'.repeat(20) })).toEqual({});
  });

  it('asks for an address like name@example.com', () => {
    expect(problems({ ...valid, email: 'ada at example' })).toEqual({
      email: 'enter an address like name@example.com',
    });
  });

  it('labels each field as the form does', () => {
    expect(CONTACT_LABELS).toEqual({
      name: 'Name',
      email: 'Email',
      address: 'Address',
      city: 'City',
      postalCode: 'Postal code',
      country: 'Country',
    });
  });
});
