/**
 * InboundPipeline: buffered parts are acknowledged to the carrier as they arrive (SMPP), so the
 * pipeline is the only holder of their text. Attacks on the two ways that text can disappear.
 */
import { compileEventFilter } from '../../src/inbound/event-filter';
import type { InboundEvent, MessageEvent } from '../../src/inbound/inbound-event';
import type { InboundPart } from '../../src/inbound/inbound-part';
import { InboundPipeline } from '../../src/inbound/inbound-pipeline';

function part(seq: number, total: number, text: string): InboundPart {
  return {
    from: '+447700900123',
    to: '12345',
    text,
    encoding: 'gsm7',
    receivedAt: new Date(1000 + seq),
    scope: '',
    concat: { ref: 3, total, seq, refBits: 8 },
  };
}

describe('InboundPipeline: text of acknowledged parts', () => {
  it('an incomplete message given up by the timer whose delivery fails once is tried again, not lost', async () => {
    let clock = 0;
    const events: InboundEvent[] = [];
    const errors: Error[] = [];
    let failures = 1;
    const pipeline = new InboundPipeline({
      smsc: 's',
      source: 'carrier',
      filter: compileEventFilter({ eventTypes: ['message'] }),
      reassembly: { timeoutMs: 1000, now: () => clock },
      deliver: async (event) => {
        if (failures-- > 0) throw new Error('n8n could not start the execution');
        events.push(event);
      },
      onBackgroundError: (error) => errors.push(error),
    });
    await pipeline.handlePart(part(1, 2, 'Fire on ward 4, '));
    clock += 1000;
    pipeline.expireIncomplete();
    await new Promise((r) => setTimeout(r, 20));
    clock += 10_000;
    pipeline.expireIncomplete(); // any later chance to retry
    await new Promise((r) => setTimeout(r, 20));
    pipeline.close();
    expect({ texts: events.map((e) => (e as MessageEvent).text), errors: errors.map((e) => e.message) }).toEqual({ texts: ['Fire on ward 4, '], errors: [] });
  });

  it('the trigger is closed (workflow saved / deactivated) while a part waits: its text is handed out, not dropped', async () => {
    const events: InboundEvent[] = [];
    const pipeline = new InboundPipeline({
      smsc: 's',
      source: 'carrier',
      filter: compileEventFilter({ eventTypes: ['message'] }),
      reassembly: { timeoutMs: 60_000 },
      deliver: async (event) => void events.push(event),
    });
    await pipeline.handlePart(part(1, 2, 'Fire on ward 4, ')); // acknowledged to the carrier: it will not come again
    const dropped = pipeline.close();
    await new Promise((r) => setTimeout(r, 20));
    expect({ dropped, texts: events.map((e) => (e as MessageEvent).text) }).toEqual({ dropped: 0, texts: ['Fire on ward 4, '] });
  });
});
