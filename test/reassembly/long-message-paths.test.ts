/**
 * Long messages that do not arrive as the standard draws them, through both ways parts come in:
 * SMPP (a carrier bind to the sandbox SMSC over TCP, into the SMS Trigger's InboundPipeline) and
 * a GSM modem (the simulator behind a real pseudo-terminal; parts shown directly with +CMT). On
 * the modem both readers of the parts are checked: the modem's own whole texts (addTextHandler,
 * which also decides when parts leave the SIM) and the SMS Trigger's pipeline fed part by part
 * (as nodes/SmsTrigger/sources/modem-source.ts does).
 *
 * Every path must hand out the same messages: never a text mixed from two messages, never a part
 * lost without a word, and a bounded number of messages waiting whatever a sender does.
 */
import { encodeMessage } from '../../src/encoding';
import type { MessagePart } from '../../src/encoding';
import { compileEventFilter } from '../../src/inbound/event-filter';
import type { InboundEvent, MessageEvent } from '../../src/inbound/inbound-event';
import { InboundPipeline } from '../../src/inbound/inbound-pipeline';
import { buildSmsDeliver } from '../../src/transport/modem/pdu/sms-deliver';
import { blankMessagePdu } from '../../src/transport/smpp/pdu/message-pdu';
import { startPipelineFixture } from '../inbound/support/pipeline-fixture';
import type { PipelineFixture } from '../inbound/support/pipeline-fixture';
import { startModemFixture, waitFor } from '../transport/modem/modem-fixture';
import type { ModemFixture } from '../transport/modem/modem-fixture';

/** How long parts wait for the rest; the clock is moved by hand, so nothing here waits for it. */
const TIMEOUT_MS = 60_000;
const ALICE = '+447700900123';
const BOB = '+447700900456';
const A = 'Bridge at Mill Road is flooded, we are on the roof of number 12 with two children. '.repeat(2).trim();
const B = 'Second appeal: the water reached the first floor, the children are cold, please hurry. '.repeat(2).trim();

type Concat = 'udh8' | 'udh16';

/** The parts a phone sends for `text`; `header` rewrites a part's total and sequence number as a faulty sender would. */
function partsOf(text: string, reference: number, concat: Concat = 'udh8', header?: (seq: number) => { total: number; seq: number }): MessagePart[] {
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
function line(complete: boolean, parts: number, totalParts: number, text: string): string {
  return `${complete ? 'complete' : 'INCOMPLETE'} ${parts}/${totalParts}: ${text}`;
}

function eventLine(event: InboundEvent): string {
  const m = event as MessageEvent;
  return line(!m.incomplete, m.parts, m.totalParts ?? m.parts, m.text);
}

interface Path {
  /** Sends parts from `from`, one after the other, and waits until the path took each. */
  send(parts: MessagePart[], from: string): Promise<void>;
  /** The timeout passes: everything still waiting is handed out. */
  giveUp(): Promise<void>;
  /** What each reader of this path handed out, in order. */
  readers(): Record<string, string[]>;
  stop(): Promise<void>;
}

async function smppPath(): Promise<Path> {
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

async function modemPath(): Promise<Path> {
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

const PATHS: Array<[string, () => Promise<Path>]> = [
  ['SMPP', smppPath],
  ['GSM modem', modemPath],
];

describe.each(PATHS)('long messages through %s', (_name, start) => {
  let path: Path;
  afterEach(async () => path?.stop());

  /** Every reader of the path handed out exactly `expected`. */
  async function expectHandedOut(expected: string[]): Promise<void> {
    await waitFor(() => Object.values(path.readers()).every((seen) => seen.length >= expected.length), `${expected.length} message(s)`, 20_000);
    for (const [reader, seen] of Object.entries(path.readers())) expect({ reader, seen }).toEqual({ reader, seen: expected });
  }

  it('a sender reuses a reference while a message waits: nothing of that reference is joined, each part handed out alone, never mixed', async () => {
    path = await start();
    const [a1] = partsOf(A, 5);
    const [b1, b2] = partsOf(B, 5);
    await path.send([a1, b1, b2], ALICE);
    await path.giveUp();
    await expectHandedOut([line(false, 1, 2, a1.text), line(false, 1, 2, b1.text), line(false, 1, 2, b2.text)]);
  });

  it('a part delivered twice (its acknowledgement was lost) counts once', async () => {
    path = await start();
    const [a1, a2] = partsOf(A, 5);
    await path.send([a1, a1, a2], ALICE);
    await expectHandedOut([line(true, 2, 2, A)]);
    await path.giveUp();
    await expectHandedOut([line(true, 2, 2, A)]);
  });

  it('an 8-bit and a 16-bit reference with the same number are two messages', async () => {
    path = await start();
    const [a1, a2] = partsOf(A, 5, 'udh8');
    const [b1, b2] = partsOf(B, 5, 'udh16');
    await path.send([a1, b1, a2, b2], ALICE);
    await expectHandedOut([line(true, 2, 2, A), line(true, 2, 2, B)]);
  });

  it('two senders using the same reference at once get their own messages', async () => {
    path = await start();
    const [a1, a2] = partsOf(A, 5);
    const [b1, b2] = partsOf(B, 5);
    await path.send([a1], ALICE);
    await path.send([b1], BOB);
    await path.send([a2], ALICE);
    await path.send([b2], BOB);
    await expectHandedOut([line(true, 2, 2, A), line(true, 2, 2, B)]);
  });

  it('a part that gives another total for the same reference belongs to another message', async () => {
    path = await start();
    const [a1] = partsOf(A, 9);
    const [, b2] = partsOf(B, 9, 'udh8', (seq) => ({ total: 3, seq }));
    await path.send([a1, b2], ALICE);
    await path.giveUp();
    await expectHandedOut([line(false, 1, 2, a1.text), line(false, 1, 3, b2.text)]);
  });

  it('a part numbered outside 1..total is a message on its own, and does not complete another', async () => {
    path = await start();
    const [a1, a2] = partsOf(A, 7);
    const [z] = partsOf(B, 7, 'udh8', () => ({ total: 2, seq: 3 }));
    const [zero] = partsOf(B, 7, 'udh8', () => ({ total: 2, seq: 0 }));
    await path.send([z, a1, zero, a2], ALICE);
    await expectHandedOut([line(true, 1, 1, z.text), line(true, 1, 1, zero.text), line(true, 2, 2, A)]);
    await path.giveUp();
    await expectHandedOut([line(true, 1, 1, z.text), line(true, 1, 1, zero.text), line(true, 2, 2, A)]);
  });

  it('10,000 messages from one sender that never complete: at most 100 wait, each one handed out, oldest first', async () => {
    path = await start();
    const firsts = Array.from({ length: 10_000 }, (_, ref) => partsOf(`Message ${ref}: ${'x'.repeat(200)}`, ref, 'udh16')[0]);
    await path.send(firsts, ALICE);
    const given = firsts.map((part) => line(false, 1, 2, part.text));
    // Room for the sender's 100 newest: the 9,900 before them were given up as they were pushed out.
    await expectHandedOut(given.slice(0, 9_900));
    await path.giveUp();
    await expectHandedOut(given);
  });
});
