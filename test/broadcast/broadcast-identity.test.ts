import { runBroadcast } from '../../src/broadcast/broadcast-runner';
import { broadcastIdentity } from '../../src/broadcast/broadcast-identity';
import { MemoryBroadcastJournal } from '../../src/broadcast/broadcast-journal';
import type { BroadcastRecipient } from '../../src/broadcast/broadcast-types';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { SmppTransport } from '../../src/transport/smpp/smpp-transport';
import { sandboxTransportOptions, startSandbox } from '../support/sandbox';

/**
 * A plain alert without a Broadcast ID, posted twice, the second time with the same people in
 * another order (a query without ORDER BY, a list rebuilt from a set) or written in national
 * format: its identity hashed the list as given, so each post was a new alert (200 extra copies).
 * The identity is now the set of numbers (E.164) and their texts.
 */
const N = 200;
const numbers = Array.from({ length: N }, (_, i) => `+4479${String(70_000_000 + i)}`);
const asRecipients = (list: string[]): BroadcastRecipient[] => list.map((to, i) => ({ to, text: 'Flood warning: move to higher ground.', itemIndex: i }));
const channel = ['smpp', 'smppApi:cred-1', 'CITYALERT'];
const idOf = (list: string[]): string => broadcastIdentity({ channel, recipients: asRecipients(list), defaultCountry: 'GB' }).broadcastId;

describe("a plain alert's identity: the same people and text, whatever the order or format", () => {
  let smsc: SandboxSmsc;
  let transport: SmppTransport;
  beforeAll(async () => {
    smsc = await startSandbox({ recordMode: 'count', maxStoredMessages: 10 });
    transport = new SmppTransport(sandboxTransportOptions(smsc, { windowSize: 20 }));
    await transport.start();
  });
  afterAll(async () => {
    await transport.close(100);
    await smsc.stop();
  });
  beforeEach(() => smsc.store.clear());

  it.each([
    ['in reverse order', [...numbers].reverse()],
    ['in national format (07...)', numbers.map((n) => `0${n.slice(3)}`)],
    ['as 0044...', numbers.map((n) => `00${n.slice(1)}`)],
  ])('posted again %s: same ID, nobody gets it twice', async (_label, second) => {
    const journal = new MemoryBroadcastJournal();
    const run = (list: string[]) =>
      runBroadcast(asRecipients(list), {
        broadcastId: idOf(list),
        dedupeWindowMs: 86_400_000,
        sender: transport,
        defaults: { from: 'CITYALERT', defaultCountry: 'GB' },
        message: {},
        journal,
        collectResults: false,
      });
    await run(numbers);
    const again = await run(second);
    expect(idOf(second)).toBe(idOf(numbers));
    expect(again.summary).toMatchObject({ accepted: 0, skippedAlreadySent: N });
    expect(smsc.store.duplicates().extraCopies).toBe(0);
  });

  it('another text, or one recipient more, is another alert (as the README says)', () => {
    expect(idOf([...numbers, '+447980000999'])).not.toBe(idOf(numbers));
    const other = broadcastIdentity({
      channel,
      recipients: numbers.map((to, i) => ({ to, text: 'Flood warning lifted.', itemIndex: i })),
      defaultCountry: 'GB',
    }).broadcastId;
    expect(other).not.toBe(idOf(numbers));
  });
});
