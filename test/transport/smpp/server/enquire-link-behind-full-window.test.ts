/**
 * Server mode holds at most maxOutstanding submits in hand and backlogs the rest of what it read
 * (TCP backpressure). An enquire_link already read into that backlog is a liveness probe: if it
 * waits behind submits the trigger is slow to take, the application's enquire_link timer fires
 * and it drops the link and resends everything in flight (duplicates), although the server is
 * alive and the request is already in memory.
 */
import { CommandId } from '../../../../src/transport/smpp/pdu/command-ids';
import { encodeEmptyRequest } from '../../../../src/transport/smpp/pdu/pdu-codec';
import { encodeMessagePdu } from '../../../../src/transport/smpp/pdu/message-pdu';
import { SmppServer } from '../../../../src/transport/smpp/server/smpp-server';
import { simpleSubmit } from '../../../support/messages';
import { RawPeer } from '../../../security/support/raw-peer';

const ACCOUNT = { systemId: 'app', password: 'secret' };

describe('server mode: enquire_link read while the window is full', () => {
  it('is answered while the submits ahead of it are still in the workflow', async () => {
    const releases: Array<() => void> = [];
    const server = new SmppServer({ host: '127.0.0.1', port: 0, maxOutstandingPerConnection: 1 });
    await server.start();
    server.subscribe({ account: ACCOUNT, onSubmit: () => new Promise<void>((r) => releases.push(r)) });
    const peer = await RawPeer.connect(server.port);
    try {
      expect(await peer.bind('transmitter', ACCOUNT.systemId, ACCOUNT.password)).toBe(0);
      peer.send(
        Buffer.concat([
          encodeMessagePdu(CommandId.submitSm, 2, simpleSubmit('447700900001')),
          encodeMessagePdu(CommandId.submitSm, 3, simpleSubmit('447700900002')),
          encodeEmptyRequest(CommandId.enquireLink, 4),
        ]),
      );
      await new Promise((r) => setTimeout(r, 1000));
      const answeredWhileBusy = peer.frames.some((f) => f.commandId === CommandId.enquireLinkResp && f.sequence === 4);
      for (let i = 0; i < 5 && releases.length; i++) {
        releases.shift()?.();
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(answeredWhileBusy).toBe(true);
    } finally {
      for (const r of releases) r();
      peer.destroy();
      await server.close();
    }
  });
});
