import { runBroadcast } from '../../src/broadcast/broadcast-runner';
import { MemoryBroadcastJournal } from '../../src/broadcast/broadcast-journal';
import type { PartSender } from '../../src/gateway/send-sms';
import type { MessagePdu } from '../../src/transport/smpp/pdu/message-pdu';
import type { SubmitOptions, SubmitReceiver } from '../../src/transport/smpp/types';
import { SmppSubmitError } from '../../src/transport/smpp/types';

const list = (count: number) =>
  Array.from({ length: count }, (_, i) => ({ to: `+4479${String(i).padStart(8, '0')}`, text: 'Boil water before drinking.', itemIndex: i }));

/**
 * A broadcast hands one-part messages to a sender's submitTo with one object per recipient. A
 * sender that answers twice, throws, or flags a possible duplicate must be accounted exactly as
 * through submit()'s promise.
 */
describe('broadcast over a sender with submitTo', () => {
  it('answers told twice count once; a throw fails that message only; flags and ids reach the results', async () => {
    const destinations: string[] = [];
    const sender: PartSender = {
      submit: () => Promise.reject(new Error('submit() is not the path for one part')),
      submitTo(pdu: MessagePdu, _options: SubmitOptions, receiver: SubmitReceiver): void {
        destinations.push(pdu.destination.addr);
        const i = Number(pdu.destination.addr.slice(-2)); // the recipient's place in the list
        if (i === 3) throw new Error('encoder exploded');
        const answer = (): void => {
          if (i === 5) receiver.notSubmitted(new SmppSubmitError('no answer', 'retries_exhausted', undefined, undefined, true, 2));
          else receiver.submitted({ messageId: `id-${i}`, possibleDuplicate: i === 7, attempts: 1, throttled: 0 });
          receiver.submitted({ messageId: `again-${i}`, possibleDuplicate: false, attempts: 1, throttled: 0 });
        };
        if (i % 2 === 0) answer();
        else setImmediate(answer);
      },
    };
    const accepted: string[] = [];
    const { summary, results } = await runBroadcast(list(10), {
      broadcastId: 'twice',
      sender,
      defaults: { from: 'CITY' },
      message: {},
      journal: new MemoryBroadcastJournal(),
      concurrency: 3,
      onAccepted: (to, ids) => accepted.push(`${to} ${ids.join(',')}`),
    });
    expect(destinations.sort()).toEqual(list(10).map((r) => r.to.slice(1)));
    expect(summary.accepted).toBe(8);
    expect(summary.failed).toBe(2);
    expect(summary.uncertain).toBe(1); // the one written without an answer
    expect(summary.possibleDuplicates).toBe(2);
    expect(accepted).toHaveLength(8);
    expect(accepted).not.toContainEqual(expect.stringContaining('again'));
    const byIndex = new Map(results.map((r) => [r.itemIndex, r]));
    expect(byIndex.get(3)).toMatchObject({ status: 'failed', error: 'encoder exploded', messageIds: [] });
    expect(byIndex.get(5)).toMatchObject({ status: 'failed', possibleDuplicate: true });
    expect(byIndex.get(7)).toMatchObject({ status: 'accepted', messageIds: ['id-7'], possibleDuplicate: true, from: 'CITY', to: '+447900000007' });
  });
});
