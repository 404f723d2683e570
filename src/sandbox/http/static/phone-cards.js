// Renders conversations as phone cards: bubbles (text, time, encoding, parts, delivery) and a reply box.
import { $, api, displayAddress, el, formatCount, showMessage, timeOf } from './dom.js';
import { deliveryStatus } from './conversations.js';

const MAX_PHONES_SHOWN = 24;
const ENCODING_LABELS = { gsm7: 'GSM-7', ucs2: 'UCS-2', latin1: 'Latin-1', ascii: 'ASCII', binary: 'binary' };

function renderBubble(item) {
  const mt = item.direction === 'mt';
  const bubble = el('div', `bubble ${mt ? 'bubble-in' : 'bubble-out'}`);
  bubble.dataset.direction = item.direction;
  if (mt) bubble.append(el('span', 'bubble-sender', displayAddress(item.from)));
  const complete = !mt || item.texts.size >= item.total;
  const text = [...item.texts.keys()]
    .sort((a, b) => a - b)
    .map((seq) => item.texts.get(seq))
    .join('');
  bubble.append(el('span', `bubble-text${complete ? '' : ' incomplete'}`, complete ? text : `${text} …`));
  const meta = el('span', 'bubble-meta');
  meta.append(el('span', '', timeOf(item.receivedAt)), el('span', 'tag', ENCODING_LABELS[item.encoding] || item.encoding));
  // MT bubbles show a count only for long messages; MO bubbles whenever the API told us.
  if (item.total > 1 || (!mt && item.total > 0)) {
    meta.append(el('span', 'tag', complete ? `${item.total} part${item.total === 1 ? '' : 's'}` : `${item.texts.size} of ${item.total} parts`));
  }
  const status = deliveryStatus(item);
  if (status) {
    meta.append(el('span', status.className, status.text));
    bubble.dataset.status = status.text;
  }
  bubble.append(meta);
  return bubble;
}

/** The number this phone answers: the last sender that texted it, else the last number it texted. */
function replyTarget(phone) {
  return phone.peer || phone.lastTo;
}

async function sendReply(phone, input, button, error) {
  const to = replyTarget(phone);
  if (!to) return showMessage(error, 'This phone has no one to reply to yet.', true);
  button.disabled = true;
  try {
    const result = await api('POST', 'api/mo', { from: phone.number, to, text: input.value });
    input.value = '';
    if (result.pending) showMessage(error, 'Queued: no ESME is bound to receive it yet.');
    else showMessage(error, result.delivered ? '' : 'The ESME refused the message.', !result.delivered);
  } catch (err) {
    showMessage(error, err.message, true);
  } finally {
    button.disabled = false;
  }
}

function createCard(phone) {
  const card = el('article', 'phone');
  card.dataset.phone = phone.number;
  const head = el('header', 'phone-head');
  const digits = phone.number.replace(/\D/g, '');
  const peer = el('div', 'phone-peer');
  const title = el('div', 'phone-title');
  title.append(el('div', 'phone-number', displayAddress(phone.number)), peer);
  head.append(el('span', 'avatar', digits ? digits.slice(-2) : phone.number.slice(0, 2).toUpperCase()), title);
  const thread = el('div', 'thread');
  const form = el('form', 'reply');
  form.autocomplete = 'off';
  const input = el('input');
  input.name = 'text';
  input.required = true;
  input.setAttribute('aria-label', `Reply from ${displayAddress(phone.number)}`);
  const send = el('button', 'button', 'Send');
  send.type = 'submit';
  form.append(input, send);
  const error = el('p', 'reply-error');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void sendReply(phone, input, send, error);
  });
  card.append(head, thread, form, error);
  phone.card = { root: card, peer, thread, input };
}

function updateCard(phone) {
  const { peer, thread, input } = phone.card;
  const to = replyTarget(phone);
  peer.textContent = to ? `Texts with ${displayAddress(to)}` : 'No messages yet';
  input.placeholder = to ? `Reply to ${displayAddress(to)}…` : 'Reply';
  const nearBottom = thread.scrollHeight - thread.scrollTop - thread.clientHeight < 40;
  thread.replaceChildren(...phone.items.map(renderBubble));
  if (nearBottom) thread.scrollTop = thread.scrollHeight;
  phone.dirty = false;
}

/** Shows the most recently active phones (matching the search) in order, updating only changed cards. */
export function renderPhones(conversations, filter) {
  const container = $('phones');
  const matching = conversations.list(filter);
  const shown = matching.slice(0, MAX_PHONES_SHOWN);
  for (const phone of shown) {
    if (!phone.card) createCard(phone);
    if (phone.dirty) updateCard(phone);
  }
  const wanted = shown.map((p) => p.card.root);
  const current = [...container.children];
  if (wanted.length !== current.length || wanted.some((node, i) => node !== current[i])) {
    // Moving nodes blurs a focused reply box: put the focus and caret back afterwards.
    const active = document.activeElement;
    const caret = active && typeof active.selectionStart === 'number' ? [active.selectionStart, active.selectionEnd] : null;
    container.replaceChildren(...wanted);
    if (active && container.contains(active) && document.activeElement !== active) {
      active.focus();
      if (caret) active.setSelectionRange(caret[0], caret[1]);
    }
  }
  $('phone-count').textContent = String(conversations.phones.size);
  $('empty').hidden = conversations.phones.size > 0;
  $('phone-hint').textContent =
    matching.length > shown.length ? `showing the ${shown.length} most recent of ${formatCount(matching.length)}: search for a number to see others` : '';
}
