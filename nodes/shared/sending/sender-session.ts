/**
 * The open transport(s) of one node execution, as the Transport parameter chose them: the shared
 * SMPP bind of the credential, the shared modem of the device, or both with failover (the modem
 * opened only when a message first needs it). Sends one prepared message at a time (`send`) or
 * part by part for the broadcast runner (`partSender`), with the same routing.
 */
import type { DeliveryReceipt, ReceiptTracker, WaitOptions } from '../../../src/dlr';
import { modemReceiptKey, modemReceiptTrackerFor, receiptTrackerFor } from '../../../src/dlr';
import { sendByModem, sendWithFailover, FailoverPartSender, sendPrepared } from '../../../src/gateway';
import type { FailoverRoutes, RoutedSmsResult, SmsRoute, PreparedSms, PartSender } from '../../../src/gateway';
import { acquireModem } from '../../../src/registry';
import type { Lease } from '../../../src/process-wide';
import type { GsmModem, GsmModemOptions } from '../../../src/transport/modem';
import type { SenderPlan, TransportChoice } from './sender-transport';
import { openSmppSession } from './smpp-session';
import type { SmppSession } from './smpp-session';

const ADVICE = {
  'SMPP Carrier': 'Check the SMPP Carrier credential (host, port, TLS, system ID, password)',
  'GSM Modem': 'Check the GSM Modem credential (device path, baud rate, SIM PIN) and that the modem is plugged in',
};

/** A transport could not be opened; `advice` says which credential to check. */
export class SenderOpenError extends Error {
  readonly advice: string;

  constructor(
    message: string,
    readonly credential: keyof typeof ADVICE,
  ) {
    super(message);
    this.name = 'SenderOpenError';
    this.advice = ADVICE[credential];
  }
}

/** Delivery receipts of what a sender sent, on the route that sent each message. */
export interface SenderReceipts {
  /** Why messages sent on `route` get no receipt (a modem set not to forward status reports); null when they do. */
  untracked(route: SmsRoute): string | null;
  /** The receipt of one part (`messageId` as the result gave it, `to` in E.164), or null after timeoutMs. */
  waitFor(route: SmsRoute, messageId: string, to: string, timeoutMs: number, options?: WaitOptions): Promise<DeliveryReceipt | null>;
}

export interface SmsSender {
  readonly transport: TransportChoice;
  send(prepared: PreparedSms): Promise<RoutedSmsResult>;
  /** For code that submits part by part: long messages still take one route as a whole. */
  readonly partSender: PartSender;
  /** Where each message sent through partSender went, by destination digits (failover only). */
  readonly routes: ReadonlyMap<string, SmsRoute>;
  /** Starts listening for receipts on every route; call before sending (fast carriers answer at once). */
  listenForReceipts(): SenderReceipts;
  release(): Promise<void>;
}

function openModem(options: GsmModemOptions): Promise<Lease<GsmModem>> {
  return acquireModem(options).catch((err: Error) => {
    throw new SenderOpenError(`Cannot open the GSM modem: ${err.message}`, 'GSM Modem');
  });
}

function openSmpp(plan: SenderPlan): Promise<SmppSession> {
  return openSmppSession(plan.smpp!.settings).catch((err: Error) => {
    throw new SenderOpenError(`Cannot connect to the SMPP carrier: ${err.message}`, 'SMPP Carrier');
  });
}

const MODEM_REPORTS_OFF = 'this modem does not forward status reports (it refused every AT+CNMI setting that would): its delivery is not known';

/** Receipts from an SMPP tracker and a modem tracker (either may be absent). */
function routeReceipts(smpp: ReceiptTracker | null, modem: () => Promise<{ tracker: ReceiptTracker; modem: GsmModem } | null>): SenderReceipts {
  let modemStatus: string | null = null;
  return {
    untracked: (route) => (route === 'smpp' ? (smpp ? null : 'no SMPP bind') : modemStatus),
    waitFor: async (route, messageId, to, timeoutMs, options) => {
      if (route === 'smpp') return smpp ? smpp.waitFor(messageId, timeoutMs, options) : null;
      const listening = await modem();
      if (!listening) return null;
      if (listening.modem.statusReports === 'none') {
        modemStatus = MODEM_REPORTS_OFF;
        return null;
      }
      return listening.tracker.waitFor(modemReceiptKey(messageId, to), timeoutMs, options);
    },
  };
}

function smppSender(session: SmppSession): SmsSender {
  return {
    transport: 'smpp',
    send: async (prepared) => ({ ...(await sendPrepared(session.sender, prepared)), route: 'smpp' }),
    partSender: session.sender,
    routes: new Map(),
    listenForReceipts: () => routeReceipts(receiptTrackerFor(session.transport), async () => null),
    release: session.release,
  };
}

function modemSender(lease: Lease<GsmModem>): SmsSender {
  return {
    transport: 'modem',
    send: (prepared) => sendByModem(lease.resource, prepared),
    partSender: lease.resource,
    routes: new Map(),
    listenForReceipts: () => {
      const tracker = modemReceiptTrackerFor(lease.resource);
      return routeReceipts(null, async () => ({ tracker, modem: lease.resource }));
    },
    release: lease.release,
  };
}

/** SMPP first; the modem is opened on the first message that needs it, and its failure is kept. */
function failoverSender(session: SmppSession | null, smppUnavailable: string | undefined, options: GsmModemOptions): SmsSender {
  let modemLease: Promise<Lease<GsmModem>> | undefined;
  let listening = false;
  const routes = new Map<string, SmsRoute>();
  const failover: FailoverRoutes = {
    smpp: session?.sender ?? null,
    smppUnavailable,
    modem: async () => {
      modemLease ??= acquireModem(options);
      const modem = (await modemLease).resource;
      // The modem opens on the first message that needs it: listen before that message goes.
      if (listening) modemReceiptTrackerFor(modem);
      return modem;
    },
  };
  return {
    transport: 'failover',
    send: (prepared) => sendWithFailover(failover, prepared),
    partSender: new FailoverPartSender(failover, (destination, routed) => routes.set(destination, routed.route)),
    routes,
    listenForReceipts: () => {
      listening = true;
      return routeReceipts(session ? receiptTrackerFor(session.transport) : null, async () => {
        const lease = await modemLease?.catch(() => undefined);
        return lease ? { tracker: modemReceiptTrackerFor(lease.resource), modem: lease.resource } : null;
      });
    },
    release: async () => {
      const lease = modemLease;
      modemLease = undefined;
      await Promise.all([
        session?.release(),
        lease?.then(
          (l) => l.release(),
          () => undefined,
        ),
      ]);
    },
  };
}

/**
 * Opens what the plan needs. SMPP or modem alone: a failure to open throws SenderOpenError.
 * Failover: a failed SMPP bind sends everything by modem (each result says why in smppError).
 */
export async function openSmsSender(plan: SenderPlan): Promise<SmsSender> {
  if (plan.transport === 'smpp') return smppSender(await openSmpp(plan));
  if (plan.transport === 'modem') return modemSender(await openModem(plan.modem!));
  let session: SmppSession | null = null;
  let smppUnavailable: string | undefined;
  try {
    session = await openSmpp(plan);
  } catch (err) {
    smppUnavailable = (err as Error).message;
  }
  return failoverSender(session, smppUnavailable, plan.modem!);
}
