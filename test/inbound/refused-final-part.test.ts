/**
 * The part that completes a long message is acknowledged only after the workflow took the message;
 * when that fails the PDU is refused and the carrier redelivers it (inbound-pipeline.ts, event-delivery.ts).
 * Attack: the workflow fails once for the completing part. The redelivered part must complete the
 * message again (parts 1..n-1 were acknowledged, so the carrier will never send them again).
 * Real path: sandbox SMSC over TCP -> SmppTransport -> InboundPipeline; the sandbox retries a refused deliver_sm.
 */
import { encodeMessage } from '../../src/encoding';
import type { InboundEvent, MessageEvent } from '../../src/inbound/inbound-event';
import { blankMessagePdu } from '../../src/transport/smpp/pdu/message-pdu';
import { startPipelineFixture } from './support/pipeline-fixture';
import type { PipelineFixture } from './support/pipeline-fixture';

const TEXT = 'Evacuation order for Riverside ward: move patients on floor 1 to floor 3 now, the river is rising fast. '.repeat(2).trim();

describe('the workflow fails for the part that completes a long message', () => {
  let f: PipelineFixture | undefined;
  afterEach(async () => f?.stop());

  it('the carrier redelivers the refused last part: the whole message is emitted once, never only its last part', async () => {
    let clock = 1_000_000;
    const events: InboundEvent[] = [];
    let failNext = true;
    f = await startPipelineFixture({
      pipeline: {
        reassembly: { timeoutMs: 60_000, now: () => clock },
        deliver: async (event) => {
          if (failNext) {
            failNext = false;
            throw new Error('n8n could not start the execution'); // e.g. a rejected donePromise
          }
          events.push(event);
        },
      },
    });
    const { parts } = encodeMessage(TEXT, { concat: 'udh8', reference: 9 });
    expect(parts).toHaveLength(2);
    const pdus = parts.map((part) => {
      const pdu = blankMessagePdu();
      pdu.source = { ton: 1, npi: 1, addr: '447700900123' };
      pdu.destination = { ton: 0, npi: 1, addr: '12345' };
      pdu.esmClass = 0x40;
      pdu.dataCoding = part.dataCoding;
      pdu.shortMessage = part.shortMessage;
      return pdu;
    });
    expect(await f.smsc.deliverTo('sandbox', pdus[0])).toBe(true);
    // Refused once, then redelivered by the sandbox (200 ms later) and acknowledged.
    expect(await f.smsc.deliverTo('sandbox', pdus[1])).toBe(true);
    clock += 60_000;
    f.pipeline.expireIncomplete();
    await new Promise((r) => setTimeout(r, 100));
    const seen = events.map((e) => {
      const m = e as MessageEvent;
      return { text: m.text, incomplete: m.incomplete ?? false, missingParts: m.missingParts ?? [] };
    });
    expect(seen).toEqual([{ text: TEXT, incomplete: false, missingParts: [] }]);
  });
});
