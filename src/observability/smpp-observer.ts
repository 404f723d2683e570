/**
 * Connects one SMPP transport to the gateway's logs, metrics and status board. The transport
 * emits its lifecycle events and calls a SubmitObserver per answer; everything here listens,
 * so the transport needs no knowledge of logs or Prometheus.
 */
import { receiptOf } from '../dlr/receipt-pdu';
import { classifyStatus, statusLabel, statusName } from '../transport/smpp/command-status';
import type { SmppBindPool } from '../transport/smpp/bind-pool';
import type { InboundMessage, SubmitObserver } from '../transport/smpp/types';
import { registerConnection } from './connection-board';
import type { ConnectionStatus } from './connection-board';
import { countryOf } from './country-of';
import { reportBurst, reportEvent } from './gateway-log';
import { gatewayMetrics } from './gateway-metrics';
import type { CounterChild, HistogramChild } from './metric-families';
import { linkBound, linkClosed, linkOpened, refreshBound } from './smpp-link-state';

/**
 * Accepted message ids remembered for the receipt latency. When this many wait for a receipt,
 * further ones are not remembered until receipts come (the histogram is then a sample): evicting
 * the oldest on every answer cost microseconds per message (measured, bench: metrics).
 */
const REMEMBERED_IDS = 20_000;
/** Remembered ids whose receipt has not come after this long are dropped (a minute's sweep, off the hot path). */
const REMEMBER_MS = 24 * 3_600_000;

/** The per-answer counting of one credential: children looked up once, so an answer is a few increments. */
export class SmppSubmitCounter implements SubmitObserver {
  private readonly byStatus = new Map<number, CounterChild>();
  private readonly latency: HistogramChild;
  /** Submit answer to final receipt (countInbound). */
  readonly receiptLatency: HistogramChild;
  private readonly throttled: CounterChild;
  private readonly granted: CounterChild;
  private readonly waits: CounterChild;
  /** Accepted message id -> when its answer came (ms), for the receipt latency. */
  readonly acceptedAt = new Map<string, number>();
  /** Receipt counters by state, then country: looked up without joining label strings per receipt. */
  private readonly receiptsByState = new Map<string, Map<string, CounterChild>>();

  constructor(readonly credential: string) {
    const m = gatewayMetrics();
    this.latency = m.smppSubmitLatency.child(credential);
    this.receiptLatency = m.receiptLatency.child(credential);
    this.throttled = m.smppThrottled.child(credential);
    this.granted = m.tpsGranted.child(credential);
    this.waits = m.tpsWaits.child(credential);
  }

  answered(status: number, latencyMs: number, messageId: string): void {
    let counter = this.byStatus.get(status);
    if (counter === undefined) {
      const label = statusLabel(status);
      counter = gatewayMetrics().smppSubmits.child(this.credential, label);
      // Only named and carrier-specific codes get their own entry (bounded); the rest share 'other'.
      if (label !== 'other') this.byStatus.set(status, counter);
    }
    counter.value++;
    this.latency.observe(latencyMs / 1000);
    if (status === 0) {
      if (messageId !== '') this.remember(messageId);
      return;
    }
    if (classifyStatus(status) === 'throttle') {
      this.throttled.value++;
      reportBurst(`throttled|${this.credential}`, (held) => ({ type: 'smpp.throttled', credential: this.credential, statusName: statusName(status), held }));
    }
  }

  /** The receipts counter of one state and country (countInbound). */
  receiptCounter(state: string, country: string): CounterChild {
    let byCountry = this.receiptsByState.get(state);
    if (byCountry === undefined) this.receiptsByState.set(state, (byCountry = new Map()));
    let counter = byCountry.get(country);
    if (counter === undefined) {
      counter = gatewayMetrics().receipts.child(this.credential, state, country);
      byCountry.set(country, counter);
    }
    return counter;
  }

  tokensTaken(count: number): void {
    this.granted.value += count;
  }

  throttleWait(): void {
    this.waits.value++;
  }

  private remember(messageId: string): void {
    if (this.acceptedAt.size < REMEMBERED_IDS) this.acceptedAt.set(messageId, Date.now());
  }

  /** Drops ids whose receipt never came (the carrier sends none for them, or another bind took it). */
  sweep(now = Date.now()): void {
    for (const [id, at] of this.acceptedAt) if (now - at > REMEMBER_MS) this.acceptedAt.delete(id);
  }
}

export interface SmppObserverOptions {
  /** Warn when the window stays full this long (default 30 s). */
  saturatedAfterMs?: number;
  /** How often the window is looked at (default 5 s). */
  checkEveryMs?: number;
}

/**
 * Watches `transport` for `credential` until it closes: lifecycle lines, bind state and
 * reconnect metrics, receipts and MO messages, window saturation, and an entry on the status
 * board. `counter` must be the transport's SubmitObserver (options.observer).
 */
export function observeSmppTransport(transport: SmppBindPool, counter: SmppSubmitCounter, options: SmppObserverOptions = {}): void {
  const credential = counter.credential;
  const m = gatewayMetrics();
  const reconnects = m.smppReconnects.child(credential);
  let lastDrop = '';
  let dropped = false;
  let everBound = false;
  let gaveUp: string | undefined;
  // The attempt of the reconnect under way: its failure is reported with the same number.
  let attempt = 0;
  linkOpened(credential, transport);

  transport.on('bound', (info) => {
    everBound = true;
    linkBound(credential);
    if (dropped) reconnects.value++;
    reportEvent({ type: 'smpp.bound', credential, systemId: info.systemId, tls: transport.options.tls === true, mode: info.mode, afterDrop: dropped });
  });
  transport.on('disconnected', (info) => {
    refreshBound(credential);
    const expected = transport.state === 'closing' || transport.state === 'closed';
    if (!expected) {
      dropped = true;
      lastDrop = info.reason;
    }
    reportEvent({ type: 'smpp.unbound', credential, reason: info.reason, inFlight: info.inFlight, expected });
  });
  transport.on('reconnecting', (info) => {
    attempt = info.attempt;
    reportEvent({ type: 'smpp.reconnecting', credential, attempt: info.attempt, delayMs: info.delayMs, reason: lastDrop });
  });
  let firstError: string | undefined;
  transport.on('error', (err) => {
    firstError ??= err.message;
    // Also one bind of several that cannot (re)bind while the others are up (a carrier refusing binds past its limit).
    const bindShort = transport.state === 'bound' && transport.boundCount < transport.options.binds;
    if (transport.state === 'reconnecting' || bindShort)
      reportEvent({ type: 'smpp.bindFailed', credential, attempt: Math.max(attempt, 1), reason: err.message });
  });
  transport.once('gaveUp', (err) => {
    gaveUp = err.message;
    reportEvent({ type: 'smpp.gaveUp', credential, reason: err.message });
  });

  transport.addInboundHandler((message) => countInbound(counter, message), { receiptsOnly: true });

  const unregister = registerConnection({ credential, kind: 'smpp', describe: () => describeSmpp(transport, counter) });
  const stopWatch = watchWindow(transport, credential, options);
  const sweeper = setInterval(() => counter.sweep(), 60_000);
  sweeper.unref();
  transport.once('closed', () => {
    unregister();
    stopWatch();
    clearInterval(sweeper);
    // Closed while idle: not down, its series goes. Gave up, or never bound: the credential stays at 0 for the alert.
    const failure = gaveUp ?? (everBound ? undefined : firstError);
    linkClosed(credential, transport, transport.label, failure);
  });
}

/** What the metrics do per inbound deliver_sm (a receipt: by state and country, and its latency); exported for the bench. */
export function countInbound(counter: SmppSubmitCounter, message: InboundMessage): void {
  const m = gatewayMetrics();
  const receipt = receiptOf(message); // parsed once: the receipt tracker of the bind reads it too
  if (!receipt) {
    m.moMessages.child(counter.credential).value++;
    return;
  }
  if (!receipt.final) return;
  counter.receiptCounter(receipt.status, countryOf(receipt.to, receipt.toTon)).value++;
  const accepted = counter.acceptedAt;
  const tlvId = receipt.ids?.tlvId;
  const textId = receipt.ids?.textId;
  const id = accepted.has(receipt.messageId)
    ? receipt.messageId
    : tlvId !== undefined && accepted.has(tlvId)
      ? tlvId
      : textId !== undefined && accepted.has(textId)
        ? textId
        : undefined;
  if (id === undefined) {
    m.receiptsUnknown.child(counter.credential).value++;
    reportBurst(`unmatched|${counter.credential}`, (held) => ({
      type: 'receipt.unmatched',
      credential: counter.credential,
      messageId: receipt.messageId,
      held,
    }));
    return;
  }
  counter.receiptLatency.observe((message.receivedAt.getTime() - (accepted.get(id) as number)) / 1000);
  counter.acceptedAt.delete(id);
}

function describeSmpp(transport: SmppBindPool, counter: SmppSubmitCounter): ConnectionStatus {
  const metrics = transport.metrics();
  const submits: Record<string, number> = {};
  for (const sample of gatewayMetrics().smppSubmits.samples()) {
    if (sample.labels.credential === counter.credential) submits[sample.labels.result] = sample.value;
  }
  return {
    credential: counter.credential,
    kind: 'smpp',
    state: metrics.state,
    up: metrics.state === 'bound',
    bindMode: transport.options.bindMode ?? 'transceiver',
    tls: transport.options.tls === true,
    // Several binds per credential: how many the credential asks for, and how many are bound now.
    binds: transport.options.binds,
    bindsUp: transport.boundCount,
    window: metrics.window,
    windowSize: transport.options.windowSize,
    inFlight: metrics.inFlight,
    queued: metrics.queued,
    sent: metrics.sent,
    accepted: metrics.acked,
    failed: metrics.failed,
    retried: metrics.retried,
    throttled: metrics.throttled,
    reconnects: metrics.reconnects,
    inboundReceived: metrics.deliverReceived,
    submitsByResult: submits,
    tps: transport.options.throttle
      ? { limited: true, tokensGranted: gatewayMetrics().tpsGranted.get(counter.credential), waits: gatewayMetrics().tpsWaits.get(counter.credential) }
      : { limited: false },
  };
}

/** Warns once when the window has been full (and messages wait) for `saturatedAfterMs`, and once when it empties again. */
function watchWindow(transport: SmppBindPool, credential: string, options: SmppObserverOptions): () => void {
  const after = options.saturatedAfterMs ?? 30_000;
  let fullSince = 0;
  let warned = false;
  const timer = setInterval(() => {
    const { window, inFlight, queued, state } = transport.metrics();
    const full = state === 'bound' && inFlight >= window && queued > 0;
    const now = Date.now();
    if (full) {
      fullSince ||= now;
      if (!warned && now - fullSince >= after) {
        warned = true;
        reportEvent({ type: 'smpp.windowSaturated', credential, seconds: Math.round((now - fullSince) / 1000), window: inFlight, queued });
      }
      return;
    }
    if (warned) reportEvent({ type: 'smpp.windowRecovered', credential, seconds: Math.round((now - fullSince) / 1000) });
    fullSince = 0;
    warned = false;
  }, options.checkEveryMs ?? 5000);
  timer.unref();
  return () => clearInterval(timer);
}
