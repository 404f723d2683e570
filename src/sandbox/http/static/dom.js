// Small DOM and HTTP helpers shared by the inbox modules. Text always goes in through textContent.

export const $ = (id) => document.getElementById(id);

export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** International numbers (8+ digits) are shown with a leading +, short codes and names as they are. */
export function displayAddress(address) {
  return /^\d{8,}$/.test(address) ? `+${address}` : address;
}

export function timeOf(ms) {
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export function formatCount(n) {
  return Number(n || 0).toLocaleString();
}

/** Calls the sandbox API (relative paths, so the page also works behind a path prefix). */
export async function api(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(data.error || `${method} ${path} answered ${response.status}`);
  return data;
}

export function showMessage(node, text, isError) {
  node.textContent = text;
  node.classList.toggle('error', Boolean(isError));
}

/** The banner above the phones; `kind` lets a later render hide only its own notice. */
export function showNotice(text, kind, action) {
  const notice = $('notice');
  notice.dataset.kind = kind || '';
  notice.replaceChildren(el('span', '', text));
  if (action) {
    const button = el('button', 'button button-quiet', action.label);
    button.type = 'button';
    button.addEventListener('click', () => {
      notice.hidden = true;
      action.run();
    });
    notice.append(button);
  }
  notice.hidden = false;
}

export function hideNotice(kind) {
  const notice = $('notice');
  if (kind === undefined || notice.dataset.kind === kind) notice.hidden = true;
}
