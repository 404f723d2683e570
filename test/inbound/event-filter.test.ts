import { compileEventFilter, FilterSettingError } from '../../src/inbound/event-filter';
import type { MessageEvent, ReceiptEvent } from '../../src/inbound/inbound-event';
import { configuredAddress, inboundAddress } from '../../src/inbound/inbound-address';

const message = (text: string, from = '+447700900123'): MessageEvent => ({
  type: 'message',
  from,
  to: '12345',
  text,
  encoding: 'gsm7',
  parts: 1,
  receivedAt: '',
  smsc: 'test',
});
const receipt: ReceiptEvent = {
  type: 'receipt',
  messageId: '1f',
  messageIdKeys: ['1f', '31'],
  status: 'DELIVRD',
  final: true,
  from: 'SHOP',
  to: '+447700900123',
  receivedAt: '',
  smsc: 'test',
};

describe('event filter', () => {
  it('passes only the chosen event types', () => {
    const onlyReceipts = compileEventFilter({ eventTypes: ['receipt'] });
    expect(onlyReceipts(receipt)).toBe(true);
    expect(onlyReceipts(message('hi'))).toBe(false);
  });

  it('exact keywords match the whole text, ignoring case and surrounding spaces', () => {
    const f = compileEventFilter({ eventTypes: ['message'], keywordMatch: 'exact', keywords: ['INFO', 'Help me'] });
    expect(f(message('info'))).toBe(true);
    expect(f(message('  HELP   me '))).toBe(true);
    expect(f(message('info please'))).toBe(false);
    expect(f(receipt)).toBe(false);
  });

  it('starts-with keywords match the beginning of the text', () => {
    const f = compileEventFilter({ eventTypes: ['message', 'receipt'], keywordMatch: 'startsWith', keywords: ['order'] });
    expect(f(message('ORDER 42 please'))).toBe(true);
    expect(f(message('my order 42'))).toBe(false);
    expect(f(receipt)).toBe(true); // receipts are not keyword-filtered
  });

  it('a regular expression matches case-insensitively anywhere', () => {
    const f = compileEventFilter({ eventTypes: ['message'], keywordMatch: 'regex', keywords: ['^order\\s+(\\d+)$'] });
    expect(f(message('Order 42'))).toBe(true);
    expect(f(message('order forty-two'))).toBe(false);
  });

  it('filters senders in any written form against E.164', () => {
    const f = compileEventFilter({ eventTypes: ['message'], senders: ['+44 7700 900123', '07700 900456'], defaultCountry: 'GB' });
    expect(f(message('x', '+447700900123'))).toBe(true);
    expect(f(message('x', '+447700900456'))).toBe(true);
    expect(f(message('x', '+447700900789'))).toBe(false);
    const alpha = compileEventFilter({ eventTypes: ['message'], senders: ['MyBank'] });
    expect(alpha(message('x', 'mybank'))).toBe(true);
  });

  it('names the setting when a filter cannot work', () => {
    expect(() => compileEventFilter({ eventTypes: ['message'], keywordMatch: 'regex', keywords: ['(unclosed'] })).toThrow(FilterSettingError);
    expect(() => compileEventFilter({ eventTypes: ['message'], keywordMatch: 'regex', keywords: ['(unclosed'] })).toThrow(
      /"\(unclosed" is not a valid regular expression/,
    );
    expect(() => compileEventFilter({ eventTypes: ['message'], keywordMatch: 'exact', keywords: [' '] })).toThrow(/needs at least one keyword/);
    expect(() => compileEventFilter({ eventTypes: ['sms' as 'message'] })).toThrow(/Unknown event type "sms"/);
  });
});

describe('inbound addresses', () => {
  it('writes phone numbers in E.164 whatever TON the carrier used', () => {
    expect(inboundAddress({ ton: 1, npi: 1, addr: '447700900123' })).toBe('+447700900123');
    expect(inboundAddress({ ton: 0, npi: 1, addr: '447700900123' })).toBe('+447700900123');
    expect(inboundAddress({ ton: 0, npi: 1, addr: '+447700900123' })).toBe('+447700900123');
    expect(inboundAddress({ ton: 2, npi: 1, addr: '07700900123' }, 'GB')).toBe('+447700900123');
    expect(inboundAddress({ ton: 0, npi: 1, addr: '07700900123' }, 'GB')).toBe('+447700900123');
  });

  it('leaves short codes, alphanumeric senders and unreadable national numbers as received', () => {
    expect(inboundAddress({ ton: 3, npi: 0, addr: '12345' })).toBe('12345');
    expect(inboundAddress({ ton: 5, npi: 0, addr: 'MyBank' })).toBe('MyBank');
    expect(inboundAddress({ ton: 2, npi: 1, addr: '07700900123' })).toBe('07700900123');
    // TON 1 says international even when the number is not one libphonenumber knows.
    expect(inboundAddress({ ton: 1, npi: 1, addr: '999123456789' })).toBe('+999123456789');
  });

  it('reads configured numbers the same way', () => {
    expect(configuredAddress('447700900123')).toBe('+447700900123');
    expect(configuredAddress('0044 7700 900123')).toBe('+447700900123');
    expect(configuredAddress('12345')).toBe('12345');
  });
});
