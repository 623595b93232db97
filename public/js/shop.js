// Progressive enhancement: forms work without JavaScript (POST, then redirect and a
// flash message). With it, add-to-cart and quantity changes happen in place: the badge
// and every figure update, the button says "Added ✓" and the flash area (a polite live
// region) announces the result. Display preferences that changed are posted together once
// the shopper has chosen, then the page reloads to show them. Same routes, JSON instead of HTML.
const csrfToken = document.querySelector('meta[name="csrf-token"]')?.content ?? '';
const ADDED_MS = 2000;
// A quantity stepped to with the arrow keys is sent once the keys have rested this long.
const SETTLE_MS = 1000;

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

// The guided tour's panel (development only) is worked out by the server from the session:
// after a change in place, this page is read again for it. Should that fail, a reload shows it.
async function refreshTour() {
  const panel = document.querySelector('.tour');
  if (!panel) return;
  const response = await fetch(window.location.href, { headers: { Accept: 'text/html' } }).catch(() => undefined);
  if (!response?.ok) return;
  const fresh = new DOMParser().parseFromString(await response.text(), 'text/html').querySelector('.tour');
  if (fresh) panel.replaceChildren(...fresh.childNodes);
}

/** Posts a cart form (add, or a line's quantity) and shows the answer in place. */
async function sendCartForm(form, button) {
  const result = await postJson(form.action, Object.fromEntries(new FormData(form)));
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
  refreshTour();
}

const sending = new WeakSet(); // cart forms whose request is running
const sendAgain = new WeakSet(); // quantity forms changed while theirs ran

document.addEventListener('submit', async (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement)) return;
  if (form.matches('[data-prefs-form]')) {
    event.preventDefault();
    return applyPreferences(form);
  }
  if (!form.matches('[data-cart-form]')) return;
  event.preventDefault();
  // A second press while the request runs adds nothing; a quantity changed meanwhile is sent after it.
  if (sending.has(form)) {
    if (form.matches('[data-autosubmit]')) sendAgain.add(form);
    return;
  }
  sending.add(form);
  // aria-disabled, not disabled: a disabled button drops the keyboard focus to <body>.
  const button = form.querySelector('button[type="submit"]');
  button?.setAttribute('aria-disabled', 'true');
  try {
    await sendCartForm(form, button);
  } finally {
    sending.delete(form);
    button?.removeAttribute('aria-disabled');
  }
  if (sendAgain.delete(form)) form.requestSubmit();
});

// Display preferences: those the shopper changed, as the page was served (defaultSelected).
function changedPreferences(form) {
  const changed = {};
  for (const select of form.querySelectorAll('select')) {
    const served = Array.from(select.options).find((option) => option.defaultSelected)?.value;
    if (select.value !== served) changed[select.name] = select.value;
  }
  return changed;
}

// Which drop-down to focus again once the page has reloaded (a keyboard shopper stays put).
const REFOCUS_KEY = 'session-shop:refocus';

// The changed preferences go in one post (so the others stay as they were), then the page
// reloads to show them. Should the post not get through, the whole form goes the no-JS way.
async function applyPreferences(form) {
  const changed = changedPreferences(form);
  if (Object.keys(changed).length === 0) return;
  const result = await postJson(form.action, changed);
  if (!result.sent) return form.submit();
  if (!result.ok) return showMessage(result.data.error ?? 'That did not work. Please reload the page.', 'error');
  // From a drop-down, back to it; from "Apply" (no name), to the first choice it applied.
  const focused = form.contains(document.activeElement) ? document.activeElement : undefined;
  try {
    if (focused) sessionStorage.setItem(REFOCUS_KEY, focused.name || Object.keys(changed)[0]);
  } catch {} // storage refused (a privacy setting): focus starts at the top, as on any page
  window.location.reload();
}

function refocusAfterReload() {
  let name;
  try {
    name = sessionStorage.getItem(REFOCUS_KEY);
    sessionStorage.removeItem(REFOCUS_KEY);
  } catch {
    return;
  }
  const select = name && document.querySelector(`[data-prefs-form] select[name="${CSS.escape(name)}"]`);
  if (!select) return;
  const disclosure = select.closest('details'); // "Display", closed on phones
  if (disclosure) disclosure.open = true;
  select.focus();
}

// On Windows and Linux, an arrow key (or a typed letter) on a closed drop-down changes its
// value and fires "change" at once, once per key (macOS opens the list instead). A shopper
// stepping through the choices has not chosen yet (WCAG 3.2.2): such a change waits for
// Enter, or "Apply" (display), or Tab or a pause (quantity). A pointer choice applies at once.
let keyedSelect;
const settling = new Map(); // quantity form → its pending send

function sendSettled(form) {
  if (!settling.has(form)) return;
  clearTimeout(settling.get(form));
  settling.delete(form);
  form.requestSubmit();
}

document.addEventListener('keydown', (event) => {
  const select = event.target;
  if (!(select instanceof HTMLSelectElement) || event.key === 'Tab' || event.key === 'Escape') return;
  if (event.key === 'Enter') {
    const prefs = select.closest('[data-prefs-form]');
    if (prefs) applyPreferences(prefs);
    const quantity = select.closest('[data-autosubmit]');
    if (quantity) sendSettled(quantity);
    return;
  }
  keyedSelect = select;
  // The key's own "change" comes before the next task; a later one is not the key's.
  setTimeout(() => {
    if (keyedSelect === select) keyedSelect = undefined;
  });
});

document.addEventListener('change', (event) => {
  const select = event.target;
  if (!(select instanceof HTMLSelectElement)) return;
  const byKey = select === keyedSelect;
  const prefs = select.closest('[data-prefs-form]');
  if (prefs && !byKey) return applyPreferences(prefs);
  if (prefs) return offerApply(prefs);
  const quantity = select.closest('[data-autosubmit]');
  if (!quantity) return;
  clearTimeout(settling.get(quantity));
  settling.set(
    quantity,
    setTimeout(() => sendSettled(quantity), SETTLE_MS),
  );
  if (!byKey) sendSettled(quantity);
});

// Leaving a quantity stepped to with the keys sends it at once.
document.addEventListener('focusout', (event) => {
  const quantity = event.target.closest?.('[data-autosubmit]');
  if (quantity) sendSettled(quantity);
});

/** Offers "Apply" while the display choices differ from the page's, so the keyboard can reach it. */
function offerApply(form) {
  const apply = form.querySelector('[data-no-js]');
  apply?.toggleAttribute('data-idle', Object.keys(changedPreferences(form)).length === 0);
}

// With JavaScript on, "Update" is not needed, and "Apply" waits, idle (shop.css), until a key changes a choice.
for (const button of document.querySelectorAll('[data-no-js]')) {
  if (button.closest('[data-prefs-form]')) button.toggleAttribute('data-idle', true);
  else button.hidden = true;
}
refocusAfterReload();
