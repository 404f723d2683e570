import { CommandId } from './pdu/command-ids';
import { encodeEmptyRequest } from './pdu/pdu-codec';
import type { DecodedPdu } from './pdu/pdu-codec';
import type { SmppSocket } from './smpp-socket';

export interface RetireOptions {
  /** True once nothing we wrote on this link still waits for its answer. */
  isDrained(): boolean;
  /** Resolves once every request the peer made on this link is answered (deliver_sm handed over). */
  settled: Promise<void>;
  /** Longest wait for the answers before finishing anyway (what is left is resent as possible duplicates). */
  timeoutMs: number;
  /** Ends the link: answers the peer's unbind, or sends ours. Called once. */
  finish(): void;
}

/**
 * Connections being wound down without losing or duplicating what is in flight. SMPP 3.4 §4.2
 * (unbind): the side that receives an unbind issues no new request on that session, settles what
 * is outstanding, and then answers unbind_resp. A carrier going down for maintenance sends unbind
 * and then the submit_sm_resp of the submits it took: those answers are the only proof the
 * messages left, so they are read and kept; only what stays unanswered is sent again after the
 * rebind. The same wind-down serves our own unbind after ESME_RINVBNDSTS.
 */
export class RetiringLinks {
  private readonly checks = new WeakMap<SmppSocket, () => void>();

  has(socket: SmppSocket): boolean {
    return this.checks.has(socket);
  }

  /** Stops new requests on `socket` (callers ask has()); finishes once drained and settled, or after the timeout. */
  retire(socket: SmppSocket, options: RetireOptions): void {
    if (this.checks.has(socket)) return;
    let finished = false;
    let inboundSettled = false;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      if (socket.isOpen) options.finish();
    };
    const check = (): void => {
      if (inboundSettled && options.isDrained()) finish();
    };
    const timer = setTimeout(finish, options.timeoutMs);
    timer.unref();
    socket.once('close', () => {
      finished = true;
      clearTimeout(timer);
    });
    this.checks.set(socket, check);
    void options.settled.then(() => {
      inboundSettled = true;
      check();
    });
  }

  /** An answer was read on `socket`: finish if that was the last one outstanding. */
  answered(socket: SmppSocket): void {
    this.checks.get(socket)?.();
  }
}

/**
 * Sends our unbind and ends the link when its unbind_resp arrives, or destroys it after
 * `timeoutMs` without one. Resolves once the link is closed.
 */
export function unbindAndClose(socket: SmppSocket, timeoutMs: number, reason: string): Promise<void> {
  return new Promise((resolve) => {
    if (!socket.isOpen) return resolve();
    const seq = socket.nextSequence();
    const timer = setTimeout(() => socket.destroy(`${reason} (no unbind_resp within ${timeoutMs} ms)`), timeoutMs);
    const onPdu = (pdu: DecodedPdu): void => {
      if (pdu.commandId === CommandId.unbindResp && pdu.sequence === seq) socket.end(reason);
    };
    socket.on('pdu', onPdu);
    socket.once('close', () => {
      clearTimeout(timer);
      socket.removeListener('pdu', onPdu);
      resolve();
    });
    socket.write(encodeEmptyRequest(CommandId.unbind, seq));
  });
}
