import { CommandId } from '../../src/transport/smpp/pdu/command-ids';
import { encodeGeneric } from '../../src/transport/smpp/pdu/pdu-codec';
import { encodeMessagePdu } from '../../src/transport/smpp/pdu/message-pdu';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { startSandbox } from '../support/sandbox';
import { simpleSubmit } from '../support/messages';
import { RawPeer } from '../security/support/raw-peer';

const ACCOUNT = { systemId: 'app', password: 'secret' };
const submit = (seq: number, text: string): Buffer => encodeMessagePdu(CommandId.submitSm, seq, simpleSubmit('447700900001', text));

describe('sandbox faults against pipelined requests', () => {
  let smsc: SandboxSmsc;
  const peers: RawPeer[] = [];
  afterEach(async () => {
    for (const p of peers.splice(0)) p.destroy();
    await smsc.stop();
  });

  it('drop fault: submits read after the one that dropped the link (same TCP read) are not taken', async () => {
    smsc = await startSandbox({ accounts: [ACCOUNT] });
    const peer = await RawPeer.connect(smsc.port);
    peers.push(peer);
    expect(await peer.bind('transmitter', ACCOUNT.systemId, ACCOUNT.password)).toBe(0);
    smsc.setFaults({ dropAfterSubmits: 1 });
    peer.send(Buffer.concat([submit(2, 'one'), submit(3, 'two'), submit(4, 'three'), submit(5, 'four')]));
    await peer.closedPromise;
    // 'one' was taken and its answer lost with the link (the client resends it); the link was
    // gone before 'two'..'four' were read: taking them too makes three silent duplicates.
    expect(smsc.store.list().map((m) => m.text)).toEqual(['one']);
  });

  it('stall holds submit_sm_resp, bind_resp and enquire_link_resp only, as documented: query_sm is answered at once', async () => {
    smsc = await startSandbox({ accounts: [ACCOUNT] });
    const peer = await RawPeer.connect(smsc.port);
    peers.push(peer);
    expect(await peer.bind('transceiver', ACCOUNT.systemId, ACCOUNT.password)).toBe(0);
    smsc.setFaults({ stalled: true });
    peer.send(Buffer.concat([submit(6, 'held'), encodeGeneric('query_sm', 7, { message_id: '1', source_addr: 'TEST' })]));
    expect(await peer.waitForAnswer(7, 'query_sm_resp', 2000)).not.toBeNull();
    const submitAnsweredWhileStalled = peer.frames.some((f) => f.sequence === 6);
    smsc.setFaults({ stalled: false });
    expect(await peer.waitForAnswer(6, 'submit_sm_resp', 2000)).not.toBeNull();
    expect(submitAnsweredWhileStalled).toBe(false);
  });
});
