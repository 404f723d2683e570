// The sandbox's phone inbox: one card per phone number, live over server-sent events.
// Every piece of message text goes into the page through textContent, never as HTML.
'use strict';

(() => {
  const MAX_PHONES_SHOWN = 24;
  const MAX_ITEMS_PER_PHONE = 200;
  const SPARK_POINTS = 60;
  const ENCODING_LABELS = { gsm7: 'GSM-7', ucs2: 'UCS-2', latin1: 'Latin-1', ascii: 'ASCII', binary: 'binary' };

  const $ = (id) => document.getElementById(id);
  const phonesEl = $('phones');

  /** phone number -> { number, peer, lastTo, lastActivity, items, openGroups, card, dirty } */
  let phones = new Map();
  /** stored message id -> the bubble item it belongs to (receipts find their bubble here) */
  let itemsById = new Map();
  const rates = [];
  let renderQueued = false;
  let filter = '';
  /** Message and receipt events the server left out of the live stream while it was busy. */
  const skipped = { messages: 0, receipts: 0 };

  // ---------- small helpers ----------
  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /** International numbers (8+ digits) are shown with a leading +, short codes and names as they are. */
  function displayAddress(address) {
    return /^\d{8,}$/.test(address) ? `+${address}` : address;
  }

  function timeOf(ms) {
    return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  }

  async function api(method, path, body) {
    const response = await fetch(path, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(data.error || `${method} ${path} answered ${response.status}`);
    return data;
  }

  function showMessage(node, text, isError) {
    node.textContent = text;
    node.classList.toggle('error', Boolean(isError));
  }

  // ---------- state ----------
  function phoneFor(number) {
    let phone = phones.get(number);
    if (!phone) {
      phone = { number, peer: '', lastTo: '', lastActivity: 0, items: [], openGroups: new Map(), card: null, dirty: true };
      phones.set(number, phone);
    }
    return phone;
  }

  function markDirty(phone) {
    phone.dirty = true;
    scheduleRender();
  }

  /** Adds a stored message (MT part or MO) to its phone; parts of one long SMS share a bubble. */
  function addMessage(m) {
    if (itemsById.has(m.id)) return updateDelivery(m);
    const mt = m.direction === 'mt';
    const phone = phoneFor(mt ? m.to : m.from);
    if (mt) phone.peer = m.from;
    else phone.lastTo = m.to;
    phone.lastActivity = Math.max(phone.lastActivity, m.receivedAt);

    let item = null;
    const groupKey = mt && m.concat && m.concat.total > 1 ? `${m.from}|${m.concat.refBits}|${m.concat.ref}|${m.concat.total}` : null;
    if (groupKey) item = phone.openGroups.get(groupKey) || null;
    if (!item) {
      item = {
        direction: m.direction, from: m.from, to: m.to, encoding: m.encoding, receivedAt: m.receivedAt,
        total: mt ? (m.concat ? m.concat.total : 1) : (m.parts || 0),
        texts: new Map(), ids: [], deliveries: new Map(), wantsReceipt: mt && (m.registeredDelivery & 3) !== 0,
      };
      phone.items.push(item);
      if (phone.items.length > MAX_ITEMS_PER_PHONE) phone.items.splice(0, phone.items.length - MAX_ITEMS_PER_PHONE);
      if (groupKey) phone.openGroups.set(groupKey, item);
    }
    item.texts.set(m.concat ? m.concat.seq : 1, m.text);
    item.ids.push(m.id);
    itemsById.set(m.id, item);
    if (m.delivery) item.deliveries.set(m.id, m.delivery.status);
    // A reference number is reused later for another message: close the group once complete.
    if (groupKey && item.texts.size >= item.total) phone.openGroups.delete(groupKey);
    item.phone = phone;
    markDirty(phone);
  }

  function updateDelivery(m) {
    const item = itemsById.get(m.id);
    if (!item || !m.delivery) return;
    item.deliveries.set(m.id, m.delivery.status);
    markDirty(item.phone);
  }

  function resetMessages() {
    phones = new Map();
    itemsById = new Map();
    phonesEl.replaceChildren();
    scheduleRender();
  }

  async function loadMessages() {
    const data = await api('GET', 'api/messages?limit=5000');
    for (const m of data.messages) addMessage(m);
    if (data.truncated) showNotice(`Showing the newest ${data.messages.length} of ${data.total} stored messages.`);
  }

  // ---------- rendering ----------
  function scheduleRender() {
    if (renderQueued) return;
    renderQueued = true;
    requestAnimationFrame(render);
  }

  function statusOf(item) {
    if (item.direction !== 'mt') return null;
    if (!item.wantsReceipt) return { text: 'Accepted', className: 'status-wait' };
    const failed = [...item.deliveries.values()].find((s) => s !== 'DELIVRD');
    if (failed) return { text: `✗ ${failed}`, className: 'status-bad' };
    if (item.deliveries.size >= item.ids.length && item.texts.size >= item.total) return { text: '✓ Delivered', className: 'status-ok' };
    if (item.deliveries.size > 0) return { text: `${item.deliveries.size}/${item.total} delivered`, className: 'status-wait' };
    return { text: 'Awaiting receipt', className: 'status-wait' };
  }

  function renderBubble(item) {
    const mt = item.direction === 'mt';
    const bubble = el('div', `bubble ${mt ? 'bubble-in' : 'bubble-out'}`);
    bubble.dataset.direction = item.direction;
    if (mt) bubble.append(el('span', 'bubble-sender', displayAddress(item.from)));
    const seqs = [...item.texts.keys()].sort((a, b) => a - b);
    const complete = item.texts.size >= item.total || !mt;
    const body = el('span', `bubble-text${complete ? '' : ' incomplete'}`, seqs.map((s) => item.texts.get(s)).join('') + (complete ? '' : ' …'));
    bubble.append(body);
    const meta = el('span', 'bubble-meta');
    meta.append(el('span', '', timeOf(item.receivedAt)));
    meta.append(el('span', 'tag', ENCODING_LABELS[item.encoding] || item.encoding));
    if (item.total > 1 || !mt) {
      const partsText = !item.total ? null : complete ? `${item.total} part${item.total === 1 ? '' : 's'}` : `${item.texts.size} of ${item.total} parts`;
      if (partsText) meta.append(el('span', 'tag', partsText));
    }
    const status = statusOf(item);
    if (status) {
      meta.append(el('span', status.className, status.text));
      bubble.dataset.status = status.text;
    }
    bubble.append(meta);
    return bubble;
  }

  function createCard(phone) {
    const card = el('article', 'phone');
    card.dataset.phone = phone.number;
    const head = el('header', 'phone-head');
    const digits = phone.number.replace(/\D/g, '');
    head.append(el('span', 'avatar', digits ? digits.slice(-2) : phone.number.slice(0, 2).toUpperCase()));
    const title = el('div', 'phone-title');
    title.append(el('div', 'phone-number', displayAddress(phone.number)), el('div', 'phone-peer'));
    head.append(title);
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
    phone.card = { root: card, peer: title.lastChild, thread, input };
    return card;
  }

  async function sendReply(phone, input, button, error) {
    const to = phone.peer || phone.lastTo;
    if (!to) return showMessage(error, 'This phone has no one to reply to yet.', true);
    button.disabled = true;
    try {
      const result = await api('POST', 'api/mo', { from: phone.number, to, text: input.value });
      input.value = '';
      showMessage(error, result.pending ? 'Queued: no ESME is bound to receive it yet.' : result.delivered ? '' : 'The ESME refused the message.', !result.delivered && !result.pending);
    } catch (err) {
      showMessage(error, err.message, true);
    } finally {
      button.disabled = false;
    }
  }

  function updateCard(phone) {
    const { peer, thread, input } = phone.card;
    const to = phone.peer || phone.lastTo;
    peer.textContent = to ? `Texts with ${displayAddress(to)}` : 'No messages yet';
    input.placeholder = to ? `Reply to ${displayAddress(to)}…` : 'Reply';
    const nearBottom = thread.scrollHeight - thread.scrollTop - thread.clientHeight < 40;
    thread.replaceChildren(...phone.items.map(renderBubble));
    if (nearBottom) thread.scrollTop = thread.scrollHeight;
    phone.dirty = false;
  }

  function render() {
    renderQueued = false;
    const all = [...phones.values()].sort((a, b) => b.lastActivity - a.lastActivity);
    const matching = filter ? all.filter((p) => p.number.includes(filter) || displayAddress(p.number).includes(filter)) : all;
    const shown = matching.slice(0, MAX_PHONES_SHOWN);
    for (const phone of shown) {
      if (!phone.card) createCard(phone);
      if (phone.dirty) updateCard(phone);
    }
    const wanted = shown.map((p) => p.card.root);
    const current = [...phonesEl.children];
    if (wanted.length !== current.length || wanted.some((node, i) => node !== current[i])) {
      // Moving nodes blurs a focused reply box: put the focus and caret back afterwards.
      const active = document.activeElement;
      const caret = active && active.selectionStart !== undefined ? [active.selectionStart, active.selectionEnd] : null;
      phonesEl.replaceChildren(...wanted);
      if (active && phonesEl.contains(active) && document.activeElement !== active) {
        active.focus();
        if (caret) active.setSelectionRange(caret[0], caret[1]);
      }
    }
    $('phone-count').textContent = String(phones.size);
    $('empty').hidden = phones.size > 0;
    if (matching.length > shown.length) showNotice(`Showing the ${shown.length} most recent of ${matching.length} phones: search for a number to see others.`, false, 'phones');
    else if ($('notice').dataset.kind === 'phones') $('notice').hidden = true;
  }

  function showNotice(text, withReload, kind) {
    const notice = $('notice');
    notice.dataset.kind = kind || '';
    notice.replaceChildren(el('span', '', text));
    if (withReload) {
      const button = el('button', 'button button-quiet', 'Reload messages');
      button.type = 'button';
      button.addEventListener('click', () => {
        notice.hidden = true;
        skipped.messages = skipped.receipts = 0;
        resetMessages();
        void loadMessages();
      });
      notice.append(button);
    }
    notice.hidden = false;
  }

  // ---------- progress and faults ----------
  function formatCount(n) {
    return Number(n || 0).toLocaleString();
  }

  /** The last minute of accepted/s; seconds before the page opened count as 0 so the line spans the box. */
  function drawSparkline() {
    const series = [...new Array(SPARK_POINTS - rates.length).fill(0), ...rates];
    const max = Math.max(1, ...series);
    const step = 240 / (SPARK_POINTS - 1);
    const points = series.map((r, i) => `${(i * step).toFixed(1)},${(54 - (r / max) * 50).toFixed(1)}`);
    $('sparkline-line').setAttribute('points', points.join(' '));
    $('sparkline-area').setAttribute('points', ['0,56', ...points, '240,56'].join(' '));
  }

  function applyStats(s) {
    rates.push(s.acceptedPerSecond || 0);
    if (rates.length > SPARK_POINTS) rates.shift();
    $('rate').textContent = formatCount(Math.round(s.acceptedPerSecond || 0));
    $('accepted').textContent = formatCount(s.accepted);
    $('failed').textContent = formatCount(s.failed);
    $('throttled').textContent = formatCount(s.throttled);
    $('receipts').textContent = formatCount(s.stats ? s.stats.receiptsSent : 0);
    $('sessions').textContent = `${s.sessionCount} SMPP bind${s.sessionCount === 1 ? '' : 's'}`;
    drawSparkline();
    if (s.faults) applyFaults(s.faults);
  }

  /** Shows the sandbox's faults, leaving alone a control the user is working with. */
  function applyFaults(f) {
    const set = (input, value, output, label) => {
      if (document.activeElement === input || input.dataset.busy) return;
      if (input.type === 'checkbox') input.checked = value;
      else input.value = String(value);
      if (output) output.textContent = label;
    };
    set($('throttle'), Math.round(f.throttleRatio * 100), $('throttle-value'), `${Math.round(f.throttleRatio * 100)}%`);
    set($('fail'), Math.round(f.failRatio * 100), $('fail-value'), `${Math.round(f.failRatio * 100)}%`);
    set($('latency'), f.latencyMs);
    set($('stall'), f.stalled);
  }

  async function setFaults(input, change, describe) {
    const message = $('fault-message');
    input.dataset.busy = '1';
    try {
      const { faults } = await api('POST', 'api/faults', change);
      delete input.dataset.busy;
      applyFaults(faults);
      showMessage(message, describe(faults));
    } catch (err) {
      delete input.dataset.busy;
      showMessage(message, err.message, true);
    }
  }

  function wireFaults() {
    const throttle = $('throttle');
    throttle.addEventListener('input', () => { $('throttle-value').textContent = `${throttle.value}%`; });
    throttle.addEventListener('change', () => setFaults(throttle, { throttleRatio: Number(throttle.value) / 100 },
      (f) => `${Math.round(f.throttleRatio * 100)}% of submits now get ESME_RTHROTTLED.`));
    const fail = $('fail');
    fail.addEventListener('input', () => { $('fail-value').textContent = `${fail.value}%`; });
    fail.addEventListener('change', () => setFaults(fail, { failRatio: Number(fail.value) / 100 },
      (f) => `${Math.round(f.failRatio * 100)}% of submits now fail with status 0x${f.failStatus.toString(16)}.`));
    const latency = $('latency');
    latency.addEventListener('change', () => setFaults(latency, { latencyMs: Number(latency.value) },
      (f) => `Answers now take ${f.latencyMs} ms.`));
    const stall = $('stall');
    stall.addEventListener('change', () => setFaults(stall, { stalled: stall.checked },
      (f) => (f.stalled ? 'Stalled: the sandbox holds every answer.' : 'Stall ended: held answers went out.')));
    $('drop').addEventListener('click', async () => {
      try {
        const { dropped } = await api('POST', 'api/drop');
        showMessage($('fault-message'), `Dropped ${dropped} connection${dropped === 1 ? '' : 's'}.`);
      } catch (err) {
        showMessage($('fault-message'), err.message, true);
      }
    });
  }

  function wireForms() {
    $('new-mo').addEventListener('submit', async (event) => {
      event.preventDefault();
      const form = event.target;
      const body = { from: form.elements.from.value, to: form.elements.to.value, text: form.elements.text.value };
      try {
        const result = await api('POST', 'api/mo', body);
        form.elements.text.value = '';
        showMessage($('compose-message'), result.pending ? 'Queued: no ESME is bound to receive it yet.' : result.delivered ? `Delivered in ${result.parts} part${result.parts === 1 ? '' : 's'}.` : 'The ESME refused the message.', !result.delivered && !result.pending);
      } catch (err) {
        showMessage($('compose-message'), err.message, true);
      }
    });
    $('clear').addEventListener('click', async () => {
      await api('DELETE', 'api/messages');
      resetMessages();
    });
    $('filter').addEventListener('input', (event) => {
      filter = event.target.value.trim().replace(/^\+/, '');
      $('notice').hidden = true;
      scheduleRender();
    });
  }

  // ---------- live stream ----------
  function connect() {
    const live = $('live');
    const stream = new EventSource('api/events');
    let opened = false;
    const on = (type, handler) => stream.addEventListener(type, (event) => handler(JSON.parse(event.data)));
    stream.addEventListener('open', () => {
      live.textContent = 'live';
      live.className = 'pill pill-on';
      // After a reconnect, fetch what arrived while the stream was down.
      if (opened) void loadMessages();
      opened = true;
    });
    stream.addEventListener('error', () => {
      live.textContent = 'reconnecting…';
      live.className = 'pill pill-off';
    });
    on('message', addMessage);
    on('receipt', updateDelivery);
    on('stats', applyStats);
    on('faults', applyFaults);
    on('cleared', resetMessages);
    on('drop', (d) => showMessage($('fault-message'), `Dropped ${d.dropped} connection${d.dropped === 1 ? '' : 's'}.`));
    on('bound', (b) => showMessage($('fault-message'), `${b.systemId} bound as ${b.mode} at ${timeOf(b.at)}.`));
    on('skipped', (s) => {
      skipped.messages += s.messages;
      skipped.receipts += s.receipts;
      showNotice(`Busy: ${formatCount(skipped.messages)} messages and ${formatCount(skipped.receipts)} receipts were not shown live.`, true, 'skipped');
    });
  }

  wireFaults();
  wireForms();
  connect();
  loadMessages().catch((err) => showNotice(`Could not load messages: ${err.message}`, true));
})();
