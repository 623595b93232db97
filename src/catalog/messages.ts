// Everything a shopper reads about the catalog's answers: a category or a product that
// is not there. The wording lives here alone.

export const catalogMessages = {
  noCategory: (asked: string, names: readonly string[]) =>
    `There is no category called "${asked}". The categories are: ${names.join(', ')}.`,
  noProduct: 'We could not find that product. It may have been removed.',
};
