/**
 * Failover for code that talks to a PartSender (one submit per part), such as the broadcast
 * runner: the parts of one long message are gathered back into the message, so the message as a
 * whole takes one route (failover.ts). sendPrepared submits all parts of a message in one go (the
 * same tick), so a message is complete as soon as its last part arrives; a group still incomplete
 * at the end of that tick is routed with the parts it has, so nothing waits forever.
 */
import { parseUdh } from '../encoding';
import type { ConcatInfo } from '../encoding';
import type { MessagePdu } from '../transport/smpp/pdu/message-pdu';
import { SmppSubmitError } from '../transport/smpp/types';
import type { SubmitResult } from '../transport/smpp/types';
import { bothFailed, routeMessage } from './failover';
import type { FailoverRoutes, RoutedParts } from './failover';
import type { PartSender } from './send-sms';

const ESM_UDHI = 0x40;

interface PendingPart {
  pdu: MessagePdu;
  seq: number;
  resolve: (result: SubmitResult) => void;
  reject: (error: unknown) => void;
}

interface PartGroup {
  total: number;
  parts: PendingPart[];
}

/** The concat header of a part (UDH or SAR TLVs); undefined for a message of one part. */
export function concatOf(pdu: MessagePdu): ConcatInfo | undefined {
  if (pdu.tlvs.sar) return { ref: pdu.tlvs.sar.refNum, total: pdu.tlvs.sar.totalSegments, seq: pdu.tlvs.sar.seqNum, refBits: 0 };
  if ((pdu.esmClass & ESM_UDHI) === 0) return undefined;
  return parseUdh(pdu.shortMessage)?.concat;
}

/** A modem failure after an SMPP failure names both, and keeps the SMPP attempt's duplicate risk. */
function withSmppError(routed: RoutedParts, reason: unknown): SmppSubmitError {
  const modem = reason instanceof SmppSubmitError ? reason : new SmppSubmitError((reason as Error).message, 'invalid');
  const message = routed.smppError === undefined ? modem.message : bothFailed(routed.smppError, modem.message);
  return new SmppSubmitError(message, modem.reason, modem.status, modem.statusName, modem.possibleDuplicate || routed.smppUncertain, modem.attempts);
}

/** Told once per message where it went: the destination digits and the route outcome. */
export type RouteListener = (destination: string, routed: RoutedParts) => void;

export class FailoverPartSender implements PartSender {
  private readonly groups = new Map<string, PartGroup>();

  constructor(
    private readonly routes: FailoverRoutes,
    private readonly onRouted?: RouteListener,
  ) {}

  submit(pdu: MessagePdu): Promise<SubmitResult> {
    return new Promise((resolve, reject) => {
      const concat = concatOf(pdu);
      const part: PendingPart = { pdu, seq: concat?.seq ?? 1, resolve, reject };
      if (!concat || concat.total <= 1) {
        this.dispatch([part]);
        return;
      }
      const key = `${pdu.destination.addr}|${concat.refBits}|${concat.ref}|${concat.total}`;
      let group = this.groups.get(key);
      if (group && group.parts.some((p) => p.seq === part.seq)) {
        // The same part twice: another message with the same reference. Route the first one as it is.
        this.flush(key, group);
        group = undefined;
      }
      if (!group) {
        const created: PartGroup = { total: concat.total, parts: [] };
        group = created;
        this.groups.set(key, created);
        queueMicrotask(() => this.flush(key, created));
      }
      group.parts.push(part);
      if (group.parts.length >= group.total) this.flush(key, group);
    });
  }

  private flush(key: string, group: PartGroup): void {
    if (this.groups.get(key) !== group) return;
    this.groups.delete(key);
    this.dispatch(group.parts.sort((a, b) => a.seq - b.seq));
  }

  private dispatch(parts: PendingPart[]): void {
    routeMessage(
      this.routes,
      parts.map((p) => p.pdu),
    ).then(
      (routed) => {
        this.onRouted?.(parts[0].pdu.destination.addr, routed);
        routed.parts.forEach((outcome, i) => {
          if (outcome.status === 'rejected') parts[i].reject(routed.route === 'modem' ? withSmppError(routed, outcome.reason) : outcome.reason);
          else parts[i].resolve(routed.smppUncertain ? { ...outcome.value, possibleDuplicate: true } : outcome.value);
        });
      },
      (err: unknown) => {
        for (const part of parts) part.reject(err);
      },
    );
  }
}
