import { MemoryBroadcastJournal } from '../../src/broadcast/broadcast-journal';
import { runBroadcast } from '../../src/broadcast/broadcast-runner';
import { BroadcastStoppedError } from '../../src/broadcast/broadcast-stopped';
import type { BroadcastRecipient } from '../../src/broadcast/broadcast-types';
import type { SmppTransport } from '../../src/transport/smpp/smpp-transport';
import { Status } from '../../src/transport/smpp/command-status';
import { startHeldAnswerSmsc, until } from '../support/held-answer-smsc';
import type { HeldAnswerSmsc } from '../support/held-answer-smsc';
import { heldAnswerTransport, stoppableSender } from '../support/stoppable-sender';

const list: BroadcastRecipient[] = Array.from({ length: 20 }, (_, i) => ({ to: `+4479${String(50_000_000 + i)}`, text: 'Flood warning.', itemIndex: i }));

/**
 * A broadcast stops (its transport says it is unusable) while five of its messages are written
 * and unanswered; then the carrier answers them ESME_RTHROTTLED. Throttled means "not taken":
 * those messages wait again, and what waits when a broadcast stops is withdrawn, never written.
 */
describe('attack: a stopped broadcast keeps writing what the carrier throttles', () => {
  let smsc: HeldAnswerSmsc;
  let transport: SmppTransport;
  afterEach(async () => {
    smsc.autoAccept = true;
    smsc.answerAll();
    await transport.close(100);
    await smsc.stop();
  });

  // Breaks promise 1 end to end (also fails on ba5dd27~1): a stopped Bulk Alert Broadcast writes its throttled messages to the SMSC again after the stop.
  it('nothing reaches the SMSC after the stop; the throttled ones are reported not sent', async () => {
    smsc = await startHeldAnswerSmsc();
    transport = await heldAnswerTransport(smsc, 5);
    const { sender, stop } = stoppableSender(transport);
    const journal = new MemoryBroadcastJournal();
    const running = runBroadcast(list, { broadcastId: 'throttled-after-stop', sender, journal, defaults: { from: 'ALERTS' }, message: {} });
    // Handled from the start: the run may end before the test looks.
    const ended = running.then(
      () => null,
      (e: unknown) => e,
    );
    await until(() => smsc.submits.length === 5, 'a full window');
    // The first answer is the last: the transport is unusable from it on, so the run stops.
    stop('the carrier went away');
    smsc.answer(smsc.submits[0]);
    await new Promise((r) => setTimeout(r, 50));
    for (const s of smsc.submits.slice(1)) smsc.answer(s, Status.throttled);
    await new Promise((r) => setTimeout(r, 300));
    const writtenAfterStop = smsc.submits.length - 5;
    smsc.autoAccept = true;
    smsc.answerAll();
    const error = await ended;
    expect(error).toBeInstanceOf(BroadcastStoppedError);
    // Promise 1: after the abort, nothing is written to the SMSC.
    expect(writtenAfterStop).toBe(0);
    expect((error as BroadcastStoppedError).summary.accepted).toBe(1);
  });
});
