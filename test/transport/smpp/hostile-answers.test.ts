import { CommandId } from '../../../src/transport/smpp/pdu/command-ids';
import { encodeGenericNack, encodeSimpleResponse } from '../../../src/transport/smpp/pdu/pdu-codec';
import { Status } from '../../../src/transport/smpp/command-status';
import { SmppTransport } from '../../../src/transport/smpp/smpp-transport';
import type { SubmitResult } from '../../../src/transport/smpp/types';
import { HostileSmsc } from '../../security/support/hostile-smsc';
import type { HostileConnection } from '../../security/support/hostile-smsc';
import type { WireFrame } from '../../security/support/raw-peer';
import { numberRange, simpleSubmit } from '../../support/messages';

/**
 * Carriers that answer a submit twice, or with a generic_nack that says "OK". A message the
 * carrier may have taken and that is sent again must come back flagged possibleDuplicate.
 */
describe('SMPP transport: answers that contradict each other', () => {
  let smsc: HostileSmsc;
  let transport: SmppTransport | null = null;
  afterEach(async () => {
    await transport?.close(200);
    transport = null;
    await smsc.close();
  });
  const ok = (conn: HostileConnection, frame: WireFrame): void =>
    conn.send(encodeSimpleResponse(CommandId.submitSmResp, 0, frame.sequence, `c${conn.index}-${frame.sequence}`));
  /** The destination address of a submit_sm frame (after the header, service_type and source). */
  const destinationOf = (frame: WireFrame): string => {
    const body = frame.frame.subarray(16);
    let at = body.indexOf(0) + 1 + 2; // service_type, source ton/npi
    at = body.indexOf(0, at) + 1 + 2; // source_addr, dest ton/npi
    return body.subarray(at, body.indexOf(0, at)).toString('latin1');
  };

  const cases: Array<[string, (conn: HostileConnection, frame: WireFrame, firstTime: boolean) => void]> = [
    [
      'ESME_RSYSERR, then ESME_ROK 5 ms later for the same submit',
      (conn, frame, firstTime) => {
        if (!firstTime) return ok(conn, frame);
        conn.send(encodeSimpleResponse(CommandId.submitSmResp, Status.systemError, frame.sequence, ''));
        setTimeout(() => ok(conn, frame), 5);
      },
    ],
    [
      'ESME_RTHROTTLED, then ESME_ROK 5 ms later for the same submit',
      (conn, frame, firstTime) => {
        if (!firstTime) return ok(conn, frame);
        conn.send(encodeSimpleResponse(CommandId.submitSmResp, Status.throttled, frame.sequence, ''));
        setTimeout(() => ok(conn, frame), 5);
      },
    ],
    [
      'generic_nack with status 0 instead of submit_sm_resp, then ESME_ROK for the resend',
      (conn, frame, firstTime) => {
        if (!firstTime) return ok(conn, frame);
        conn.send(encodeGenericNack(0, frame.sequence));
      },
    ],
  ];

  it.each(cases)('%s: every number the carrier got twice is flagged, and none is accepted with an empty id', async (_label, script) => {
    const seen = new Map<string, number>();
    smsc = await HostileSmsc.start((conn) => {
      conn.onFrame = (frame) => {
        if (frame.commandId !== CommandId.submitSm) return conn.answerPolitely(frame);
        const to = destinationOf(frame);
        seen.set(to, (seen.get(to) ?? 0) + 1);
        script(conn, frame, seen.get(to) === 1);
      };
    });
    transport = new SmppTransport({
      host: '127.0.0.1',
      port: smsc.port,
      systemId: 'esme',
      password: 'pw',
      enquireLinkMs: 0,
      windowSize: 1,
      responseTimeoutMs: 1000,
      connectTimeoutMs: 5_000,
      reconnectBaseMs: 10,
      reconnectMaxMs: 50,
    });
    await transport.start();
    const numbers = numberRange(5, 447700908000);
    const results: Array<SubmitResult | Error> = [];
    for (const n of numbers) results.push(await transport.submit(simpleSubmit(n)).catch((err: Error) => err));
    numbers.forEach((n, i) => {
      const r = results[i];
      if (r instanceof Error) return;
      expect(r.messageId).not.toBe('');
      if ((seen.get(n) ?? 0) > 1) expect(r.possibleDuplicate).toBe(true);
    });
  });
});
