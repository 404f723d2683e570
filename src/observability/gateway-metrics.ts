/**
 * Every metric the gateway exposes, one process-wide set (n8n may load this package twice: see
 * processWide). Names follow Prometheus' conventions: `_total` for counters, base units
 * (seconds). The first label is always `credential`: the n8n credential's name, never its host,
 * system_id or password, so a dashboard can be shared without leaking the carrier account.
 */
import { processWide } from '../process-wide/shared-resource-pool';
import { CounterFamily, GaugeFamily, HistogramFamily } from './metric-families';
import type { MetricFamily } from './metric-families';
import { connectionStatuses } from './connection-board';
import type { ConnectionKind } from './connection-board';

/** Seconds: a carrier answers submit_sm within milliseconds to seconds. */
export const SUBMIT_LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Seconds: a handset's final receipt comes within seconds to days. */
export const RECEIPT_LATENCY_BUCKETS = [1, 5, 15, 30, 60, 300, 900, 3600, 4 * 3600, 24 * 3600];

function createMetrics() {
  const c = ['credential'];
  return {
    smppBound: new GaugeFamily('sms_gateway_smpp_bound', '1 while the SMPP bind of the credential is up, 0 while it is reconnecting or closed', c),
    smppReconnects: new CounterFamily('sms_gateway_smpp_reconnects_total', 'SMPP binds regained after the link dropped', c),
    smppSubmits: new CounterFamily('sms_gateway_smpp_submits_total', 'submit_sm answered by the carrier, by command_status name (ESME_ROK = accepted)', [
      ...c,
      'result',
    ]),
    smppThrottled: new CounterFamily('sms_gateway_smpp_throttled_total', 'submit_sm answered ESME_RTHROTTLED or ESME_RMSGQFUL (retried later)', c),
    smppInFlight: new GaugeFamily('sms_gateway_smpp_in_flight', 'submit_sm written and not yet answered', c),
    smppQueued: new GaugeFamily('sms_gateway_smpp_queued', 'Message parts waiting for a free slot in the send window', c),
    smppWindow: new GaugeFamily('sms_gateway_smpp_window', 'The send window now (shrinks while the carrier throttles)', c),
    smppSubmitLatency: new HistogramFamily('sms_gateway_smpp_submit_latency_seconds', 'From writing submit_sm to its answer', c, SUBMIT_LATENCY_BUCKETS),
    receipts: new CounterFamily('sms_gateway_receipts_total', 'Final delivery receipts by state and destination country (ISO 3166, or unknown)', [
      ...c,
      'state',
      'country',
    ]),
    receiptLatency: new HistogramFamily(
      'sms_gateway_receipt_latency_seconds',
      'From the submit_sm answer to the final receipt, for messages sent by this process',
      c,
      RECEIPT_LATENCY_BUCKETS,
    ),
    receiptsUnknown: new CounterFamily(
      'sms_gateway_receipts_unmatched_total',
      'Receipts naming a message ID this process never sent (sent by another process or system, or after a restart)',
      c,
    ),
    moMessages: new CounterFamily('sms_gateway_mo_messages_total', 'Inbound (MO) messages taken from the carrier or modem', c),
    tpsGranted: new CounterFamily('sms_gateway_tps_tokens_granted_total', 'Tokens the TPS limit granted (one per submit_sm written)', c),
    tpsWaits: new CounterFamily('sms_gateway_tps_waits_total', 'Times sending paused until the TPS limit had a token again', c),
    otpIssued: new CounterFamily('sms_gateway_otp_issued_total', 'OTP codes issued (first sends and resends)', c),
    otpVerifications: new CounterFamily('sms_gateway_otp_verifications_total', 'OTP checks by result: approved, or the reason of the rejection', [
      ...c,
      'result',
    ]),
    otpRefused: new CounterFamily('sms_gateway_otp_refused_total', 'OTP sends refused before sending, by rule (pumping guard and resend rules)', [
      ...c,
      'rule',
    ]),
    broadcastRecipients: new CounterFamily('sms_gateway_broadcast_recipients_total', 'Broadcast recipients by outcome', [...c, 'outcome']),
    modemQueue: new GaugeFamily('sms_gateway_modem_queued', 'Message parts waiting for the modem', c),
    modemRegistered: new GaugeFamily(
      'sms_gateway_modem_registered',
      '1 while the modem is registered on its home or a roaming network, 0 while it is not (or the device is lost)',
      c,
    ),
    modemSignal: new GaugeFamily('sms_gateway_modem_signal_dbm', 'Signal strength the modem reports (AT+CSQ), in dBm; no series while it reports none', c),
    serverBinds: new CounterFamily('sms_gateway_server_binds_total', 'Binds to the SMS Trigger in SMPP server mode, by result (bound or the refusal reason)', [
      ...c,
      'result',
    ]),
    serverConnections: new GaugeFamily('sms_gateway_server_connections', 'Open connections to the SMS Trigger in SMPP server mode', c),
  };
}

export type GatewayMetrics = ReturnType<typeof createMetrics>;

export function gatewayMetrics(): GatewayMetrics {
  return processWide('observabilityMetrics', () => withLiveGauges(createMetrics()));
}

/** Gauges read from the open connections when scraped (what is in flight now costs nothing to track). */
function withLiveGauges(m: GatewayMetrics): GatewayMetrics {
  const fromBoard = (gauge: GaugeFamily, kind: ConnectionKind, field: string): void => {
    gauge.collect = () => {
      // Only open connections have a series: one closed while idle holds nothing.
      gauge.clear();
      for (const status of connectionStatuses()) {
        if (status.kind === kind) gauge.set([status.credential], Number(status[field] ?? 0));
      }
    };
  };
  fromBoard(m.smppInFlight, 'smpp', 'inFlight');
  fromBoard(m.smppQueued, 'smpp', 'queued');
  fromBoard(m.smppWindow, 'smpp', 'window');
  fromBoard(m.modemQueue, 'modem', 'queued');
  fromBoard(m.serverConnections, 'smppServer', 'openConnections');
  return m;
}

export function metricFamilies(): MetricFamily[] {
  return Object.values(gatewayMetrics());
}
