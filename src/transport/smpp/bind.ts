import { ConnectError, SmppSocket, connectSmppSocket } from './smpp-socket';
import { describeStatus, Status } from './command-status';
import { encodeGeneric } from './pdu/pdu-codec';
import type { DecodedPdu } from './pdu/pdu-codec';
import { SmppBindError } from './types';
import type { BindMode, SmppTransportOptions } from './types';

const BIND_COMMAND: Record<BindMode, string> = {
  transceiver: 'bind_transceiver',
  transmitter: 'bind_transmitter',
  receiver: 'bind_receiver',
};

export interface BoundSession {
  socket: SmppSocket;
  /** system_id the SMSC answered with. */
  peerSystemId: string;
  /**
   * Hands the PDUs over to the session owner: first those that arrived after bind_resp before
   * the owner listened (an SMSC sends queued MOs and receipts right behind bind_resp, often in
   * the same TCP read), then every later one.
   */
  takeOver(handler: (pdu: DecodedPdu) => void): void;
}

/** Connects and binds; every failure becomes an SmppBindError saying what went wrong. */
export async function connectAndBind(options: SmppTransportOptions): Promise<BoundSession> {
  const timeoutMs = options.connectTimeoutMs ?? 10_000;
  let socket: SmppSocket;
  try {
    socket = await connectSmppSocket({
      host: options.host,
      port: options.port,
      tls: options.tls,
      allowSelfSigned: options.allowSelfSigned,
      checkHostname: options.checkHostname,
      connectTimeoutMs: timeoutMs,
    });
  } catch (err) {
    if (err instanceof ConnectError) throw new SmppBindError(err.message, err.code);
    throw err;
  }
  const mode = options.bindMode ?? 'transceiver';
  const command = BIND_COMMAND[mode];
  const seq = socket.nextSequence();
  const frame = encodeGeneric(command, seq, {
    system_id: options.systemId,
    password: options.password,
    system_type: options.systemType ?? '',
    interface_version: options.interfaceVersion ?? 0x34,
    addr_ton: options.addrTon ?? 0,
    addr_npi: options.addrNpi ?? 0,
    address_range: options.addressRange ?? '',
  });
  return new Promise<BoundSession>((resolve, reject) => {
    const where = `${options.host}:${options.port}`;
    const cleanup = (): void => {
      clearTimeout(timer);
      socket.removeListener('pdu', onPdu);
      socket.removeListener('close', onClose);
      socket.removeListener('frameError', onFrameError);
    };
    const onFrameError = (err: Error): void => {
      cleanup();
      socket.destroy('unreadable data');
      reject(new SmppBindError(`${where} sent unreadable data during ${command}: ${err.message}`, 'rejected'));
    };
    const timer = setTimeout(() => {
      cleanup();
      socket.destroy('bind timeout');
      reject(
        new SmppBindError(
          `${where} did not answer the ${command} within ${timeoutMs} ms${options.tls ? '' : ' (is it a TLS port? then turn TLS on)'}`,
          'timeout',
        ),
      );
    }, timeoutMs);
    const onClose = (reason: string): void => {
      cleanup();
      reject(
        new SmppBindError(
          `${where} closed the connection during ${command}: ${reason}${options.tls ? '' : ' (a TLS-only port closes plain connections)'}`,
          'closed',
        ),
      );
    };
    const onPdu = (pdu: DecodedPdu): void => {
      if (pdu.sequence !== seq || !(pdu.commandId & 0x80000000)) return;
      cleanup();
      if (pdu.status !== 0) {
        socket.destroy('bind rejected');
        const auth = pdu.status === Status.invalidPassword || pdu.status === Status.invalidSystemId;
        reject(
          new SmppBindError(`${command} as "${options.systemId}" rejected by ${where}: ${describeStatus(pdu.status)}`, auth ? 'auth' : 'rejected', pdu.status),
        );
        return;
      }
      const peerSystemId = pdu.kind === 'generic' ? String(pdu.pdu.system_id ?? '') : '';
      const early: DecodedPdu[] = [];
      const buffer = (next: DecodedPdu): void => {
        early.push(next);
      };
      socket.on('pdu', buffer);
      resolve({
        socket,
        peerSystemId,
        takeOver: (handler) => {
          socket.removeListener('pdu', buffer);
          socket.on('pdu', handler);
          for (const next of early.splice(0)) handler(next);
        },
      });
    };
    socket.on('pdu', onPdu);
    socket.once('close', onClose);
    socket.once('frameError', onFrameError);
    socket.write(frame);
  });
}
