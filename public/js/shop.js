// Progressive enhancement: forms work without JavaScript (POST, then redirect).
// With it, add-to-cart, quantity changes and preferences happen in place and the
// cart badge updates without a page reload. Same routes, JSON instead of HTML.
const csrfToken = document.querySelector('meta[name="csrf-token"]')?.content ?? '';
const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

async function postJson(form) {
  const body = Object.fromEntries(new FormData(form));
  const response = await fetch(form.action, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRF-Token': csrfToken },
    body: JSON.stringify(body),
  });
  const data = await response.json().catch(() => ({}));
  return { ok: response.ok, data };
}

function showMessage(text, kind) {
  const area = document.querySelector('[data-flash-area]');
  if (!area) return;
  const message = document.createElement('p');
  message.className = `flash flash--${kind}`;
  message.textContent = text;
  area.replaceChildren(message);
}

/** Shows an amount as views/partials/price.hbs does, so it keeps its look: <span class="price">$1.00</span>. */
function showPrice(element, cents) {
  if (!element) return;
  const price = document.createElement('span');
  price.className = 'price';
  price.textContent = money.format(cents / 100);
  element.replaceChildren(price);
}

const cartLabel = (count) => `Cart, ${count} ${count === 1 ? 'item' : 'items'}`;

// Every figure comes from the server's answer (one summary: src/cart/pricing.ts). The
// page never adds up, so it cannot disagree with itself, the cart page or the badge.
function updateCart(cart) {
  for (const count of document.querySelectorAll('[data-cart-count]')) count.textContent = String(cart.count);
  for (const badge of document.querySelectorAll('.cart-badge')) badge.setAttribute('aria-label', cartLabel(cart.count));
  for (const line of cart.lines) {
    const row = document.querySelector(`[data-cart-line="${CSS.escape(line.productId)}"]`);
    showPrice(row?.querySelector('[data-unit-price]'), line.unitPriceCents);
    showPrice(row?.querySelector('[data-line-total]'), line.lineTotalCents);
  }
  showPrice(document.querySelector('[data-cart-subtotal]'), cart.subtotalCents);
  const shipping = document.querySelector('[data-cart-shipping]');
  if (cart.shippingCents === 0) shipping?.replaceChildren('Free');
  else showPrice(shipping, cart.shippingCents);
  showPrice(document.querySelector('[data-cart-total]'), cart.totalCents);
}

/** On the cart page: has a line come or gone (removed here or in another tab, or withdrawn)? */
function linesChanged(cart) {
  const shown = Array.from(document.querySelectorAll('[data-cart-line]'), (row) => row.dataset.cartLine);
  if (shown.length === 0) return false; // not the cart page: nothing to lay out again
  return shown.join('\n') !== cart.lines.map((line) => line.productId).join('\n');
}

document.addEventListener('submit', async (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.matches('[data-cart-form]')) return;
  event.preventDefault();
  const button = form.querySelector('button[type="submit"]');
  if (button) button.disabled = true;
  try {
    const { ok, data } = await postJson(form);
    if (!ok) return showMessage(data.error ?? 'That did not work. Please try again.', 'error');
    // A line come or gone changes the page's layout, not just its figures: reload it.
    if (linesChanged(data.cart)) return window.location.reload();
    updateCart(data.cart);
    const productId = form.querySelector('[name="productId"]')?.value;
    const added = data.cart.lines.find((l) => l.productId === productId);
    showMessage(added ? `Added to your cart: ${added.name} (now ${added.quantity}).` : 'Cart updated.', 'success');
  } catch {
    form.submit(); // the network or the script failed: fall back to a normal form post
  } finally {
    if (button) button.disabled = false;
  }
});

// Quantity drop-downs and preference choices apply as soon as they change.
document.addEventListener('change', (event) => {
  const form = event.target.closest?.('[data-autosubmit], [data-prefs-form]');
  if (form) form.requestSubmit();
});

// With JavaScript on, the "Update"/"Apply" buttons are not needed.
for (const button of document.querySelectorAll('[data-no-js]')) button.hidden = true;
