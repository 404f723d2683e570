// The sandbox's phone inbox: one card per phone number, live over server-sent events.
// Every piece of message text goes into the page through textContent, never as HTML.
import { $, api, formatCount, hideNotice, showMessage, showNotice, timeOf } from './dom.js';
import { Conversations } from './conversations.js';
import { renderPhones } from './phone-cards.js';
import { applyFaults, applyStats, showDropped, wireFaultControls } from './controls.js';

let filter = '';
let renderQueued = false;
/** Message and receipt events the server left out of the live stream while it was busy. */
const skipped = { messages: 0, receipts: 0 };

const conversations = new Conversations(() => {
  if (renderQueued) return;
  renderQueued = true;
  requestAnimationFrame(() => {
    renderQueued = false;
    renderPhones(conversations, filter);
  });
});

function reload() {
  skipped.messages = skipped.receipts = 0;
  $('phones').replaceChildren();
  conversations.clear();
  return loadMessages();
}

async function loadMessages() {
  const data = await api('GET', 'api/messages?limit=5000');
  for (const m of data.messages) conversations.add(m);
  if (data.truncated) showNotice(`Showing the newest ${data.messages.length} of ${data.total} stored messages.`, 'truncated');
}

function wireForms() {
  $('new-mo').addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = event.target;
    const body = { from: form.elements.from.value, to: form.elements.to.value, text: form.elements.text.value };
    const note = $('compose-message');
    try {
      const result = await api('POST', 'api/mo', body);
      form.elements.text.value = '';
      if (result.pending) showMessage(note, 'Queued: no ESME is bound to receive it yet.');
      else if (result.delivered) showMessage(note, `Delivered in ${result.parts} part${result.parts === 1 ? '' : 's'}.`);
      else showMessage(note, 'The ESME refused the message.', true);
    } catch (err) {
      showMessage(note, err.message, true);
    }
  });
  $('clear').addEventListener('click', async () => {
    await api('DELETE', 'api/messages');
    void reload();
  });
  $('filter').addEventListener('input', (event) => {
    filter = event.target.value.trim().replace(/^\+/, '');
    renderPhones(conversations, filter);
  });
}

function connect() {
  const live = $('live');
  const stream = new EventSource('api/events');
  let opened = false;
  const on = (type, handler) => stream.addEventListener(type, (event) => handler(JSON.parse(event.data)));
  stream.addEventListener('open', () => {
    live.textContent = 'live';
    live.className = 'pill pill-on';
    // After a reconnect, fetch what arrived while the stream was down.
    if (opened) void reload();
    opened = true;
  });
  stream.addEventListener('error', () => {
    live.textContent = 'reconnecting…';
    live.className = 'pill pill-off';
  });
  on('message', (m) => conversations.add(m));
  on('receipt', (m) => conversations.updateDelivery(m));
  on('stats', applyStats);
  on('faults', applyFaults);
  on('cleared', () => {
    $('phones').replaceChildren();
    conversations.clear();
    hideNotice();
  });
  on('drop', (d) => showDropped(d.dropped));
  on('bound', (b) => showMessage($('fault-message'), `${b.systemId} bound as ${b.mode} at ${timeOf(b.at)}.`));
  on('skipped', (s) => {
    skipped.messages += s.messages;
    skipped.receipts += s.receipts;
    showNotice(`Busy: ${formatCount(skipped.messages)} messages and ${formatCount(skipped.receipts)} receipts were not shown live.`, 'skipped', {
      label: 'Reload messages',
      run: reload,
    });
  });
}

wireFaultControls();
wireForms();
connect();
loadMessages().catch((err) => showNotice(`Could not load messages: ${err.message}`, 'error', { label: 'Retry', run: reload }));
