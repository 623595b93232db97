// Everything a shopper reads about checking out and their orders: why a checkout was
// refused, what changed in the cart meanwhile, and an order that is not theirs to see.
// The wording lives here alone.

export const orderMessages = {
  formOutOfDate: 'This checkout form is out of date. Please review your cart and try again.',
  cartEmpty: 'Your cart is empty',
  cartEmptyAtCheckout: 'Your cart is empty: add something before checking out.',
  nothingSold: 'The products in your cart are no longer sold, so there is nothing to order.',
  /** The lines the stock no longer covers, each told as "NAME is sold out" or "NAME: only N left". */
  stockChanged: (lines: { name: string; available: number }[]) =>
    `Some items changed while you were shopping: ${lines
      .map(({ name, available }) => (available === 0 ? `${name} is sold out` : `${name}: only ${available} left`))
      .join('; ')}. Your cart has been updated; nothing was ordered.`,
  correctTheForm: (errors: number) =>
    `Please correct ${errors === 1 ? 'this' : `these ${errors} things`} to place your order`,
  withdrawnLines: (lines: number) =>
    `${lines === 1 ? 'One product in your cart is' : `${lines} products in your cart are`} no longer sold and not part of this order.`,
  orderNotFound: 'We could not find that order.',
};
