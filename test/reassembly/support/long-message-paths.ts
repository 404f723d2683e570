/** The long-message paths both reassembly test files drive: SMPP (sandbox over TCP) and the simulated GSM modem. */
import { encodeMessage } from '../../../src/encoding';
import type { MessagePart } from '../../../src/encoding';
import { compileEventFilter } from '../../../src/inbound/event-filter';
import type { InboundEvent, MessageEvent } from '../../../src/inbound/inbound-event';
import { InboundPipeline } from '../../../src/inbound/inbound-pipeline';
import { buildSmsDeliver } from '../../../src/transport/modem/pdu/sms-deliver';
import { blankMessagePdu } from '../../../src/transport/smpp/pdu/message-pdu';
import { startPipelineFixture } from '../../inbound/support/pipeline-fixture';
import type { PipelineFixture } from '../../inbound/support/pipeline-fixture';
import { startModemFixture, waitFor } from '../../transport/modem/modem-fixture';
import type { ModemFixture } from '../../transport/modem/modem-fixture';

/** How long parts wait for the rest; the clock is moved by hand, so nothing here waits for it. */
export const TIMEOUT_MS = 60_000;
export const ALICE = '+447700900123';
export const BOB = '+447700900456';
export const A = 'Bridge at Mill Road is flooded, we are on the roof of number 12 with two children. '.repeat(2).trim();
export const B = 'Second appeal: the water reached the first floor, the children are cold, please hurry. '.repeat(2).trim();

export type Concat = 'udh8' | 'udh16';

/** The parts a phone sends for `text`; `header` rewrites a part's total and sequence number as a faulty sender would. */
export function partsOf(text: string, reference: number, concat: Concat = 'udh8', header?: (seq: number) => { total: number; seq: number }): MessagePart[] {
  const { parts } = encodeMessage(text, { concat, reference });
  return parts.map((part, index) => {
    if (!header) return part;
    const { total, seq } = header(index + 1);
    const shortMessage = Buffer.from(part.shortMessage);
    // UDH: UDHL, IEI 0x00 (len 3: ref, total, seq) or IEI 0x08 (len 4: ref16, total, seq).
    const at = concat === 'udh8' ? 4 : 5;
    shortMessage[at] = total;
    shortMessage[at + 1] = seq;
    return { ...part, shortMessage };
  });
}

/** "complete 2/2: text" or "INCOMPLETE 1/2: text", whichever path said it. */
export function line(complete: boolean, parts: number, totalParts: number, text: string): string {
  return `${complete ? 'complete' : 'INCOMPLETE'} ${parts}/${totalParts}: ${text}`;
}

export function eventLine(event: InboundEvent): string {
  const m = event as MessageEvent;
  return line(!m.incomplete, m.parts, m.totalParts ?? m.parts, m.text);
}

export interface Path {
  /** Sends parts from `from`, one after the other, and waits until the path took each. */
  send(parts: MessagePart[], from: string): Promise<void>;
  /** The timeout passes: everything still waiting is handed out. */
  giveUp(): Promise<void>;
  /** What each reader of this path handed out, in order. */
  readers(): Record<string, string[]>;
  stop(): Promise<void>;
}

export async function smppPath(): Promise<Path> {
  let clock = 1_000_000;
  const f: PipelineFixture = await startPipelineFixture({ pipeline: { reassembly: { timeoutMs: TIMEOUT_MS, now: () => clock } } });
  return {
    async send(parts, from) {
      const pdus = parts.map((part) => {
        const pdu = blankMessagePdu();
        pdu.source = { ton: 1, npi: 1, addr: from.slice(1) };
        pdu.destination = { ton: 0, npi: 1, addr: '12345' };
        pdu.esmClass = part.udhi ? 0x40 : 0;
        pdu.dataCoding = part.dataCoding;
        pdu.shortMessage = part.shortMessage;
        return pdu;
      });
      // In order, a window of 100 at a time (10,000 one by one would take long for nothing).
      for (let i = 0; i < pdus.length; i += 100) {
        const acks = await Promise.all(pdus.slice(i, i + 100).map((pdu) => f.smsc.deliverTo('sandbox', pdu)));
        expect(acks.every(Boolean)).toBe(true);
      }
    },
    async giveUp() {
      clock += TIMEOUT_MS;
      f.pipeline.expireIncomplete();
      await new Promise((resolve) => setImmediate(resolve));
    },
    readers: () => ({ 'SMS Trigger (SMPP)': f.events.map(eventLine) }),
    async stop() {
      expect(f.pipeline.pendingGroups).toBeLessThanOrEqual(1000);
      await f.stop();
    },
  };
}

export async function modemPath(): Promise<Path> {
  let clock = 1_000_000;
  const fixture: ModemFixture = await startModemFixture({}, { concatTimeoutMs: TIMEOUT_MS, keepAliveMs: 0, now: () => clock });
  const texts: string[] = [];
  fixture.modem.addTextHandler((m) => {
    texts.push(line(m.complete, m.parts, m.totalParts, m.text));
  });
  const events: InboundEvent[] = [];
  const pipeline = new InboundPipeline({
    smsc: fixture.modem.label,
    source: 'modem',
    filter: compileEventFilter({ eventTypes: ['message'] }),
    deliver: async (event) => void events.push(event),
    reassembly: { timeoutMs: TIMEOUT_MS, now: () => clock },
  });
  let handedIn = 0;
  fixture.modem.addInboundHandler((message) => {
    handedIn++;
    return pipeline.handleDeliver(message);
  });
  const copiesDropped = (): number => fixture.log.filter((l) => l.includes('second copy of a part')).length;
  return {
    async send(parts, from) {
      const expected = handedIn + copiesDropped() + parts.length;
      const lines = parts.map((part) => {
        const pdu = buildSmsDeliver({
          from,
          dcs: part.dataCoding,
          userData: part.shortMessage,
          udhi: part.udhi,
          sentAt: new Date(clock),
          smsc: '+447700900999',
        });
        return `\r\n+CMT: ,${pdu.length - 1 - pdu[0]}\r\n${pdu.toString('hex').toUpperCase()}\r\n`;
      });
      for (let i = 0; i < lines.length; i += 100) fixture.sim.bridge.write(lines.slice(i, i + 100).join(''));
      await waitFor(() => handedIn + copiesDropped() >= expected, `${parts.length} part(s) read from the modem`, 60_000);
      await fixture.modem.flushIncomplete(); // runs after every part queued before it: the texts they completed are out
    },
    async giveUp() {
      clock += TIMEOUT_MS;
      await fixture.modem.flushIncomplete();
      pipeline.expireIncomplete();
      await new Promise((resolve) => setImmediate(resolve));
    },
    readers: () => ({ 'GSM modem texts': texts, 'SMS Trigger (modem)': events.map(eventLine) }),
    async stop() {
      pipeline.close();
      await fixture.stop();
    },
  };
}

export const PATHS: Array<[string, () => Promise<Path>]> = [
  ['SMPP', smppPath],
  ['GSM modem', modemPath],
];
