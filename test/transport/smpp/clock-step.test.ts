import { CommandId } from '../../../src/transport/smpp/pdu/command-ids';
import { encodeSimpleResponse } from '../../../src/transport/smpp/pdu/pdu-codec';
import { SmppTransport } from '../../../src/transport/smpp/smpp-transport';
import type { SubmitResult } from '../../../src/transport/smpp/types';
import { HostileSmsc } from '../../security/support/hostile-smsc';
import type { HostileConnection } from '../../security/support/hostile-smsc';
import type { WireFrame } from '../../security/support/raw-peer';
import { numberRange, simpleSubmit } from '../../support/messages';

/**
 * The wall clock steps while submits are in flight (an NTP step, a VM resumed, someone fixing the
 * time). Timeouts measured with Date.now() tore down a healthy link on a step forward (every
 * message in flight resent, flagged) and stopped seeing a stalled link after a step back. Date.now
 * is shifted here; timers and performance.now() keep running, as on a real machine.
 */
describe('SMPP transport: timeouts do not follow the wall clock', () => {
  const realNow = Date.now;
  let offset = 0;
  let smsc: HostileSmsc;
  let transport: SmppTransport | null = null;
  beforeAll(() => {
    Date.now = () => realNow() + offset;
  });
  afterAll(() => {
    Date.now = realNow;
  });
  afterEach(async () => {
    offset = 0;
    await transport?.close(200);
    transport = null;
    await smsc.close();
  });
  const answer = (conn: HostileConnection, frame: WireFrame): void =>
    conn.send(encodeSimpleResponse(CommandId.submitSmResp, 0, frame.sequence, `c${conn.index}-${frame.sequence}`));
  const start = async (windowSize: number, responseTimeoutMs: number): Promise<SmppTransport> => {
    transport = new SmppTransport({
      host: '127.0.0.1',
      port: smsc.port,
      systemId: 'esme',
      password: 'pw',
      enquireLinkMs: 0,
      windowSize,
      responseTimeoutMs,
      connectTimeoutMs: 5_000,
      reconnectBaseMs: 10,
      reconnectMaxMs: 50,
    });
    await transport.start();
    return transport;
  };

  it('a step forward of 60 s while a healthy carrier answers in 1.5 s (timeout 10 s): no resend, nothing flagged', async () => {
    smsc = await HostileSmsc.start((conn) => {
      conn.onFrame = (frame) => (frame.commandId === CommandId.submitSm ? void setTimeout(() => answer(conn, frame), 1500) : conn.answerPolitely(frame));
    });
    const t = await start(10, 10_000);
    const sending = Promise.all(numberRange(10, 447700907000).map((n) => t.submit(simpleSubmit(n))));
    await new Promise((r) => setTimeout(r, 50));
    offset = 60_000;
    const results: SubmitResult[] = await sending;
    expect(results.filter((r) => r.possibleDuplicate)).toHaveLength(0);
    expect(smsc.connections).toHaveLength(1);
  });

  it('a step back of 1 h while the carrier stalls: the stall is still found after the response timeout', async () => {
    smsc = await HostileSmsc.start((conn) => {
      // The first connection takes the submits and never answers; the next one answers.
      conn.onFrame = (frame) => (frame.commandId !== CommandId.submitSm ? conn.answerPolitely(frame) : conn.index > 0 ? answer(conn, frame) : undefined);
    });
    const t = await start(5, 1000);
    let settled = 0;
    const sending = Promise.all(
      numberRange(5, 447700907100).map((n) =>
        t.submit(simpleSubmit(n)).then((r) => {
          settled++;
          return r;
        }),
      ),
    );
    await new Promise((r) => setTimeout(r, 50));
    offset = -3_600_000;
    await Promise.race([sending, new Promise((r) => setTimeout(r, 6000))]);
    expect(settled).toBe(5);
  }, 15_000);
});
