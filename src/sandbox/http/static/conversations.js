// What the phones hold: one conversation per phone number, built from stored messages.
// An MT (gateway -> phone) belongs to its `to`, an MO (phone -> gateway) to its `from`.

const MAX_ITEMS_PER_PHONE = 200;

export class Conversations {
  constructor(onChange) {
    /** phone number -> { number, peer, lastTo, lastActivity, items, openGroups, card, dirty } */
    this.phones = new Map();
    /** stored message id -> the bubble item it belongs to (receipts find their bubble here) */
    this.itemsById = new Map();
    this.onChange = onChange;
  }

  phoneFor(number) {
    let phone = this.phones.get(number);
    if (!phone) {
      phone = { number, peer: '', lastTo: '', lastActivity: 0, items: [], openGroups: new Map(), card: null, dirty: true };
      this.phones.set(number, phone);
    }
    return phone;
  }

  changed(phone) {
    phone.dirty = true;
    this.onChange();
  }

  /** Adds a stored message (MT part or MO); the parts of one long SMS share a bubble. */
  add(m) {
    if (this.itemsById.has(m.id)) return this.updateDelivery(m);
    const mt = m.direction === 'mt';
    const phone = this.phoneFor(mt ? m.to : m.from);
    if (mt) phone.peer = m.from;
    else phone.lastTo = m.to;
    phone.lastActivity = Math.max(phone.lastActivity, m.receivedAt);

    const groupKey = mt && m.concat && m.concat.total > 1 ? `${m.from}|${m.concat.refBits}|${m.concat.ref}|${m.concat.total}` : null;
    let item = groupKey ? phone.openGroups.get(groupKey) : undefined;
    if (!item) {
      item = {
        phone,
        direction: m.direction,
        from: m.from,
        to: m.to,
        encoding: m.encoding,
        receivedAt: m.receivedAt,
        total: mt ? (m.concat ? m.concat.total : 1) : m.parts || 0,
        texts: new Map(),
        ids: [],
        deliveries: new Map(),
        wantsReceipt: mt && (m.registeredDelivery & 3) !== 0,
      };
      phone.items.push(item);
      if (phone.items.length > MAX_ITEMS_PER_PHONE) phone.items.splice(0, phone.items.length - MAX_ITEMS_PER_PHONE);
      if (groupKey) phone.openGroups.set(groupKey, item);
    }
    item.texts.set(m.concat ? m.concat.seq : 1, m.text);
    item.ids.push(m.id);
    this.itemsById.set(m.id, item);
    if (m.delivery) item.deliveries.set(m.id, m.delivery.status);
    // Reference numbers are reused by later messages: close the group once it is complete.
    if (groupKey && item.texts.size >= item.total) phone.openGroups.delete(groupKey);
    this.changed(phone);
  }

  /** A receipt went out for one stored message (one part of a bubble). */
  updateDelivery(m) {
    const item = this.itemsById.get(m.id);
    if (!item || !m.delivery) return;
    item.deliveries.set(m.id, m.delivery.status);
    this.changed(item.phone);
  }

  clear() {
    this.phones = new Map();
    this.itemsById = new Map();
    this.onChange();
  }

  /** Phones by latest activity, optionally those whose number contains `filter`. */
  list(filter) {
    const all = [...this.phones.values()].sort((a, b) => b.lastActivity - a.lastActivity);
    return filter ? all.filter((p) => p.number.includes(filter)) : all;
  }
}

/** Status line of a bubble: MT only, from the receipts of all its parts. */
export function deliveryStatus(item) {
  if (item.direction !== 'mt') return null;
  if (!item.wantsReceipt) return { text: 'Accepted', className: 'status-wait' };
  const failed = [...item.deliveries.values()].find((s) => s !== 'DELIVRD');
  if (failed) return { text: `✗ ${failed}`, className: 'status-bad' };
  if (item.deliveries.size >= item.ids.length && item.texts.size >= item.total) return { text: '✓ Delivered', className: 'status-ok' };
  if (item.deliveries.size > 0) return { text: `${item.deliveries.size}/${item.total} delivered`, className: 'status-wait' };
  return { text: 'Awaiting receipt', className: 'status-wait' };
}
