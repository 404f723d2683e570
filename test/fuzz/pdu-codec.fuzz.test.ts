import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CommandId } from '../../src/transport/smpp/pdu/command-ids';
import { decodeFrame, encodeGenericNack, encodeSimpleResponse } from '../../src/transport/smpp/pdu/pdu-codec';
import type { DecodedPdu } from '../../src/transport/smpp/pdu/pdu-codec';
import { encodeMessagePdu } from '../../src/transport/smpp/pdu/message-pdu';
import * as smpp from 'smpp';
import { fuzzProperty } from './support/fuzz-run';
import { cstringArb } from './support/message-arbitraries';
import { INTERESTING_COMMAND_IDS, mutatedFrameArb } from './support/pdu-mutations';
import { loadPduFixtures } from './support/pdu-fixtures';
import { expectSamePdu } from './support/same-pdu';

/**
 * Fuzzing decodeFrame, the one entry point every received frame goes through (sandbox, transport,
 * server mode). Replay a failure: FUZZ_SEED=<seed> npx jest test/fuzz/pdu-codec
 */

const KINDS = new Set(['message', 'response', 'generic', 'unknown', 'malformed']);
const KNOWN_IDS = Object.values(smpp.commands).map((c) => c.id);

/** A frame whose command_length is true (what FrameReader hands over): header + arbitrary body. */
function frameWith(commandId: number, status: number, seq: number, body: Uint8Array): Buffer {
  const frame = Buffer.concat([Buffer.alloc(16), body]);
  frame.writeUInt32BE(frame.length, 0);
  frame.writeUInt32BE(commandId >>> 0, 4);
  frame.writeUInt32BE(status >>> 0, 8);
  frame.writeUInt32BE(seq >>> 0, 12);
  return frame;
}

/** The oracle: decodeFrame returns (never throws) a result whose header is the frame's own. */
function checkDecoded(frame: Buffer): DecodedPdu {
  const decoded = decodeFrame(frame);
  assert.ok(KINDS.has(decoded.kind), `kind ${decoded.kind}`);
  assert.equal(decoded.commandId, frame.readUInt32BE(4), 'command_id');
  assert.equal(decoded.status, frame.readUInt32BE(8), 'command_status');
  assert.equal(decoded.sequence, frame.readUInt32BE(12), 'sequence_number');
  assert.equal(typeof decoded.command, 'string');
  if (decoded.kind === 'malformed') assert.ok(decoded.error.status > 0, 'a malformed PDU carries a status to answer with');
  if (decoded.kind === 'response') assert.ok(!decoded.messageId.includes('\0'), 'message_id without NUL');
  if (decoded.kind === 'message') {
    // What was decoded is what a re-encode carries.
    if (decoded.message.shortMessage.length <= 254) {
      const again = decodeFrame(encodeMessagePdu(decoded.commandId, decoded.sequence, decoded.message));
      assert.equal(again.kind, 'message');
      if (again.kind === 'message') expectSamePdu(again.message, decoded.message);
    }
  }
  return decoded;
}

const commandIdArb = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...KNOWN_IDS) },
  { weight: 1, arbitrary: fc.constantFrom(...INTERESTING_COMMAND_IDS) },
  { weight: 1, arbitrary: fc.nat({ max: 0xffffffff }) },
);

describe('decodeFrame (fuzz)', () => {
  it('never throws on arbitrary bodies under every command id, and keeps the header as sent', () => {
    fuzzProperty(
      'decodeFrame arbitrary bodies',
      fc.property(commandIdArb, fc.nat({ max: 0xffffffff }), fc.nat({ max: 0xffffffff }), fc.uint8Array({ maxLength: 300 }), (commandId, status, seq, body) => {
        checkDecoded(frameWith(commandId, status, seq, body));
      }),
      20_000,
    );
  });

  it('never throws on C-string-heavy bodies (long runs without NUL, many short strings) for the generic decoder', () => {
    // Binds, query_sm, cancel_sm...: node-smpp reads C-strings up to a NUL; feed it long ones and none.
    const cstringBody = fc
      .array(fc.oneof(cstringArb(80), fc.constant('')), { maxLength: 8 })
      .chain((strings) => fc.boolean().map((terminated) => Buffer.from(strings.join('\0') + (terminated ? '\0' : ''), 'latin1')));
    fuzzProperty(
      'decodeFrame C-string bodies',
      fc.property(fc.constantFrom(...KNOWN_IDS), cstringBody, (commandId, body) => {
        checkDecoded(frameWith(commandId, 0, 1, body));
      }),
      6_000,
    );
  });

  it('never throws on mutations of real frames (header and body), with command_length kept true', () => {
    const seeds = loadPduFixtures().map((f) => f.frame);
    fuzzProperty(
      'decodeFrame mutated fixtures',
      fc.property(mutatedFrameArb(seeds, { fixLength: true, minLength: 16 }), (frame) => {
        checkDecoded(frame);
      }),
      20_000,
    );
  });

  it('classifies bodies the node-smpp decoder cannot read as malformed, never as a half-filled generic PDU with garbage', () => {
    // A bind_transceiver whose body stops after system_id: node-smpp leaves password undefined.
    const frame = frameWith(CommandId.bindTransceiver, 0, 5, Buffer.from('fuzzer\0', 'latin1'));
    const decoded = checkDecoded(frame);
    if (decoded.kind === 'generic') expect(decoded.pdu.password ?? '').toBe('');
    else expect(decoded.kind).toBe('malformed');
  });

  it('decodes what encodeSimpleResponse and encodeGenericNack write, for any status, sequence and message id', () => {
    const responseIds = [CommandId.submitSmResp, CommandId.deliverSmResp, CommandId.enquireLinkResp, CommandId.unbindResp];
    fuzzProperty(
      'simple responses round trip',
      fc.property(
        fc.constantFrom(...responseIds),
        fc.nat({ max: 0xffffffff }),
        fc.nat({ max: 0xffffffff }),
        fc.option(cstringArb(64), { nil: undefined }),
        (commandId, status, seq, messageId) => {
          const decoded = checkDecoded(encodeSimpleResponse(commandId, status, seq, messageId));
          assert.equal(decoded.kind, 'response');
          const carriesId = commandId === CommandId.submitSmResp || commandId === CommandId.deliverSmResp;
          if (decoded.kind === 'response' && carriesId) assert.equal(decoded.messageId, status === 0 ? (messageId ?? '') : '');
          const nack = checkDecoded(encodeGenericNack(status, seq));
          assert.deepEqual([nack.commandId, nack.status, nack.sequence, nack.kind], [CommandId.genericNack, status, seq, 'response']);
        },
      ),
      5_000,
    );
  });
});
