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

function updateCart(cart) {
  for (const badge of document.querySelectorAll('[data-cart-count]')) badge.textContent = String(cart.count);
  for (const line of cart.lines) {
    const total = document.querySelector(`[data-cart-line="${CSS.escape(line.productId)}"] [data-line-total]`);
    if (total) total.textContent = money.format(line.lineTotalCents / 100);
  }
  const subtotal = document.querySelector('[data-cart-subtotal]');
  if (subtotal) subtotal.textContent = money.format(cart.subtotalCents / 100);
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
    // Removing a line or emptying the cart changes the page's layout: reload it.
    const productId = form.querySelector('[name="productId"]')?.value;
    const quantity = form.querySelector('[name="quantity"]')?.value;
    if (quantity === '0') return window.location.reload();
    updateCart(data.cart);
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
