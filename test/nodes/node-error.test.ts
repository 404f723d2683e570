/**
 * toNodeError, the one converter at the node boundary: each kind of error becomes the n8n error
 * the table in docs/ARCHITECTURE.md ("Errors: one model") promises, with the words users read.
 * (What every node really shows for its bad values is pinned in test/security/error-surface.test.ts.)
 */
import type { INode, INodeProperties } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { FieldError } from '../../src/errors';
import { PhoneNumberError } from '../../src/phone';
import { OtpRefusedError } from '../../src/otp';
import { SentMessageRefusedError } from '../../src/transport/smpp';
import { toNodeError } from '../../nodes/shared/errors/node-error';
import { SenderOpenError } from '../../nodes/shared/sending/sender-session';

const node: INode = { id: '1', name: 'Send SMS', type: 'n8n-nodes-sms-gateway.sendSms', typeVersion: 1, position: [0, 0], parameters: {} };
const properties: INodeProperties[] = [
  { displayName: 'To', name: 'to', type: 'string', default: '' },
  {
    displayName: 'Options',
    name: 'options',
    type: 'collection',
    default: {},
    options: [{ displayName: 'Encoding', name: 'encoding', type: 'string', default: '' }],
  },
];

describe('toNodeError', () => {
  it('a field error of any class: its message, and the field by its label on the panel (and the item)', () => {
    const error = toNodeError(node, new PhoneNumberError('to', '"12" is not a valid phone number: too short', 'too short'), {
      itemIndex: 2,
      properties,
      description: 'not for field errors',
    });
    expect(error).toBeInstanceOf(NodeOperationError);
    expect({ message: error.message, description: error.description, itemIndex: error.context.itemIndex }).toEqual({
      message: '"12" is not a valid phone number: too short',
      description: 'Check "To" (item 2)',
      itemIndex: 2,
    });
    expect(toNodeError(node, new FieldError('encoding', 'bad'), { properties }).description).toBe('Check "Encoding" in Options');
    expect(toNodeError(node, new FieldError('port', 'Port must be 1-65535', { credential: 'smppApi' })).description).toBe(
      'Check "Port" in the SMPP Carrier credential',
    );
  });

  it('the call\'s field advice comes first, then the error\'s hint, then "Check <label>"', () => {
    const hinted = new FieldError('to', 'To is empty', { hint: 'Map a phone number into To' });
    expect(toNodeError(node, hinted, { properties }).description).toBe('Map a phone number into To');
    expect(toNodeError(node, hinted, { properties, fieldAdvice: () => 'The state store could not be opened' }).description).toBe(
      'The state store could not be opened',
    );
  });

  it("a carrier's answer is a NodeApiError saying what it means for the workflow", () => {
    const error = toNodeError(node, new SentMessageRefusedError('query_sm', 0x67, 'abc'), { itemIndex: 0, prefix: 'not for answers: ' });
    expect(error).toBeInstanceOf(NodeApiError);
    expect(error.message).toMatch(/^the carrier refused the query_sm of message abc: ESME_RQUERYFAIL/);
    expect(error.description).toBe('Check the Message IDs and Sent From of this item: they must be those Send SMS used');
  });

  it("a local fault with advice: its message and its advice, whatever the call's description", () => {
    const closed = toNodeError(node, new SenderOpenError('Cannot connect to the SMPP carrier: refused', 'SMPP Carrier'), { description: 'not this' });
    expect(closed.message).toBe('Cannot connect to the SMPP carrier: refused');
    expect(closed.description).toMatch(/^Check the SMPP Carrier credential/);
    const refused = toNodeError(node, new OtpRefusedError('resend_too_soon', 'Wait before asking again', 30), { itemIndex: 1 });
    expect({ message: refused.message, description: refused.description }).toEqual({
      message: 'Wait before asking again',
      description: 'Refused: resend_too_soon. Retry in 30 s. Nothing was sent.',
    });
  });

  it("anything else: wrapped with the call's description (after its prefix); n8n's own errors pass unchanged", () => {
    const lost = new Error('socket closed');
    expect(toNodeError(node, lost, { description: 'The SMPP connection could not be used' })).toMatchObject({
      message: 'socket closed',
      description: 'The SMPP connection could not be used',
    });
    expect(toNodeError(node, lost, { prefix: 'The SMPP carrier did not answer: ', description: 'try again' })).toMatchObject({
      message: 'The SMPP carrier did not answer: socket closed',
      description: 'try again',
    });
    const already = new NodeOperationError(node, 'said already', { description: 'kept' });
    expect(toNodeError(node, already, { description: 'not this' })).toBe(already);
  });
});
