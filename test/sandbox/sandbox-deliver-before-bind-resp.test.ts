/**
 * The sandbox takes a bind when it reads it but holds its bind_resp for the configured latency
 * (or a stall). Until the bind_resp is out the ESME is not bound as far as it knows: an SMSC must
 * not send it deliver_sm (an MO message, a receipt) before that, or a client that matches
 * deliver_sm to a bound session (node-smpp, ours) gets a request on a link it is still binding.
 */
import { CommandId } from '../../src/transport/smpp/pdu/command-ids';
import { encodeGeneric } from '../../src/transport/smpp/pdu/pdu-codec';
import { encodeMessagePdu } from '../../src/transport/smpp/pdu/message-pdu';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { startSandbox, waitFor } from '../support/sandbox';
import { simpleSubmit } from '../support/messages';
import { RawPeer } from '../security/support/raw-peer';

const ACCOUNT = { systemId: 'app', password: 'secret' };
const BIND_TRANSCEIVER_RESP = 0x80000009;

describe('sandbox: no deliver_sm before the bind_resp went out', () => {
  let smsc: SandboxSmsc;
  const peers: RawPeer[] = [];
  afterEach(async () => {
    for (const p of peers.splice(0)) p.destroy();
    await smsc.stop();
  });

  it('an MO message injected while the bind_resp is held (stall) waits for the bind_resp', async () => {
    smsc = await startSandbox({ accounts: [ACCOUNT], faults: { stalled: true } });
    const peer = await RawPeer.connect(smsc.port);
    peers.push(peer);
    peer.send(encodeGeneric('bind_transceiver', 1, { system_id: ACCOUNT.systemId, password: ACCOUNT.password, interface_version: 0x34 }));
    await waitFor(() => smsc.sessionCount === 1, 'the bind to be read');
    const mo = smsc.injectMo({ from: '+447700900111', to: '12345', text: 'hello', systemId: ACCOUNT.systemId });
    await new Promise((r) => setTimeout(r, 200));
    smsc.setFaults({ stalled: false });
    await mo;
    await peer.waitUntil(() => peer.frames.some((f) => f.commandId >>> 0 === BIND_TRANSCEIVER_RESP), 'bind_resp', 5000);
    const order = peer.frames.map((f) => f.commandId >>> 0).filter((id) => id === BIND_TRANSCEIVER_RESP || id === CommandId.deliverSm);
    expect(order).toEqual([BIND_TRANSCEIVER_RESP, CommandId.deliverSm]);
  });

  it('a receipt for a submit pipelined behind the bind (latency 300 ms, receipt after 10 ms) comes after the bind_resp', async () => {
    smsc = await startSandbox({ accounts: [ACCOUNT], faults: { latencyMs: 300 }, receipt: { outcome: 'DELIVRD', delayMs: 10 } });
    const peer = await RawPeer.connect(smsc.port);
    peers.push(peer);
    peer.send(
      Buffer.concat([
        encodeGeneric('bind_transceiver', 1, { system_id: ACCOUNT.systemId, password: ACCOUNT.password, interface_version: 0x34 }),
        encodeMessagePdu(CommandId.submitSm, 2, simpleSubmit('447700900001', 'hi', { registeredDelivery: 1 })),
      ]),
    );
    await peer.waitUntil(
      () => peer.frames.some((f) => f.commandId === CommandId.deliverSm) && peer.frames.some((f) => f.commandId === CommandId.submitSmResp),
      'receipt and submit_sm_resp',
      5000,
    );
    const order = peer.frames.map((f) => f.commandId >>> 0);
    expect(order.indexOf(BIND_TRANSCEIVER_RESP)).toBeLessThan(order.indexOf(CommandId.deliverSm));
  });
});
