// Progressive enhancement: forms work without JavaScript (POST, then redirect and a
// flash message). With it, add-to-cart and quantity changes happen in place: the badge
// and every figure update, the button says "Added ✓" and the flash area (a polite live
// region) announces the result. Each display preference is posted on its own as soon as
// it changes, then the page reloads to show it. Same routes, JSON instead of HTML.
const csrfToken = document.querySelector('meta[name="csrf-token"]')?.content ?? '';
const ADDED_MS = 2000;

/** Answers { sent: false } only when no response came back: then a normal form post is safe to try. */
async function postJson(url, body) {
  let response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRF-Token': csrfToken },
      body: JSON.stringify(body),
    });
  } catch {
    return { sent: false };
  }
  const data = await response.json().catch(() => ({}));
  return { sent: true, ok: response.ok, data };
}

function showMessage(text, kind) {
  const area = document.querySelector('[data-flash-area]');
  if (!area) return;
  const message = document.createElement('p');
  message.className = `flash flash--${kind}`;
  message.textContent = text;
  area.replaceChildren(message);
}

/**
 * Shows an amount as views/partials/price.hbs does, so it keeps its look: <span class="price">$1.00</span>.
 * `text` is the server's own formatting of it (the cart JSON's unitPrice, lineTotal, subtotal…).
 */
function showPrice(element, text) {
  if (!element) return;
  const price = document.createElement('span');
  price.className = 'price';
  price.textContent = text;
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
    showPrice(row?.querySelector('[data-unit-price]'), line.unitPrice);
    showPrice(row?.querySelector('[data-line-total]'), line.lineTotal);
  }
  showPrice(document.querySelector('[data-cart-subtotal]'), cart.subtotal);
  const shipping = document.querySelector('[data-cart-shipping]');
  if (cart.shippingCents === 0) shipping?.replaceChildren(cart.shipping);
  else showPrice(shipping, cart.shipping);
  showPrice(document.querySelector('[data-cart-total]'), cart.total);
}

/** On the cart page: has a line come or gone (removed in another tab, or withdrawn)? */
function linesChanged(cart) {
  const shown = Array.from(document.querySelectorAll('[data-cart-line]'), (row) => row.dataset.cartLine);
  if (shown.length === 0) return false; // not the cart page: nothing to lay out again
  return shown.join('\n') !== cart.lines.map((line) => line.productId).join('\n');
}

/** The feedback where the shopper is looking: the button itself, for a moment. */
function confirmOnButton(button) {
  const label = button.dataset.label ?? button.textContent;
  button.dataset.label = label;
  button.textContent = 'Added ✓';
  setTimeout(() => {
    button.textContent = label;
  }, ADDED_MS);
}

document.addEventListener('submit', async (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.matches('[data-cart-form]')) return;
  event.preventDefault();
  const button = form.querySelector('button[type="submit"]');
  if (button) button.disabled = true;
  const result = await postJson(form.action, Object.fromEntries(new FormData(form)));
  if (button) button.disabled = false;
  // Only a request that never reached the server may be sent again: an answered one was applied.
  if (!result.sent) return form.submit();
  const { ok, data } = result;
  if (!ok || !data.cart) return showMessage(data.error ?? 'That did not work. Please reload the page.', 'error');
  // A line come or gone changes the page's layout, not just its figures: reload it.
  if (linesChanged(data.cart)) return window.location.reload();
  updateCart(data.cart);
  const productId = form.querySelector('[name="productId"]')?.value;
  const added = data.cart.lines.find((l) => l.productId === productId);
  if (added && button) confirmOnButton(button);
  showMessage(added ? `Added to your cart: ${added.name} (now ${added.quantity}).` : 'Cart updated.', 'success');
});

// A display preference posts just itself (so the others stay as they were), then the page
// reloads to show it. Should the post not get through, the whole form goes the no-JS way.
async function savePreference(form, select) {
  const result = await postJson(form.action, { [select.name]: select.value });
  if (!result.sent) return form.submit();
  if (!result.ok) return showMessage(result.data.error ?? 'That did not work. Please reload the page.', 'error');
  window.location.reload();
}

// Quantity drop-downs and preference choices apply as soon as they change.
document.addEventListener('change', (event) => {
  const select = event.target;
  const prefs = select.closest?.('[data-prefs-form]');
  if (prefs) return savePreference(prefs, select);
  select.closest?.('[data-autosubmit]')?.requestSubmit();
});

// With JavaScript on, the "Update"/"Apply" buttons are not needed.
for (const button of document.querySelectorAll('[data-no-js]')) button.hidden = true;
