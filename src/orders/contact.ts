// Where an order goes: the checkout form's fields, their labels and their rules in
// one place. Adding a checkout field starts here (and in the orders table).
import { z } from 'zod';

type FieldSpec = { label: string; max: number; missing: string };

const FIELDS = {
  name: { label: 'Name', max: 100, missing: 'enter your full name' },
  email: { label: 'Email', max: 200, missing: 'enter an address like name@example.com' },
  address: { label: 'Address', max: 200, missing: 'enter the street and house number' },
  city: { label: 'City', max: 100, missing: 'enter your town or city' },
  postalCode: { label: 'Postal code', max: 20, missing: 'enter your postal code' },
  country: { label: 'Country', max: 60, missing: 'enter your country' },
} as const satisfies Record<string, FieldSpec>;

export type ContactField = keyof typeof FIELDS;
export const CONTACT_FIELDS = Object.keys(FIELDS) as ContactField[];

/** Labels as the form shows them, for messages that name a field. */
export const CONTACT_LABELS: Record<ContactField, string> = Object.fromEntries(
  CONTACT_FIELDS.map((f) => [f, FIELDS[f].label]),
) as Record<ContactField, string>;

// One message per problem, in words for a shopper: a number or a list (a field sent
// twice) is not "missing", and a too-long value must not fall back to "missing".
const field = ({ max, missing }: FieldSpec) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? missing : 'must be text') })
    .trim()
    .min(1, { error: missing })
    .max(max, { error: `must be at most ${max} characters` });

export const contactSchema = z.object({
  name: field(FIELDS.name),
  email: field(FIELDS.email).pipe(z.email({ error: 'enter an address like name@example.com' })),
  address: field(FIELDS.address),
  city: field(FIELDS.city),
  postalCode: field(FIELDS.postalCode),
  country: field(FIELDS.country),
});

export type Contact = z.infer<typeof contactSchema>;
