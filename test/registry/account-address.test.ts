// One carrier account, however its host is written: the spellings that reach the same carrier give
// the same name (the key of the bind cap in Redis); other carriers do not.
import { carrierAccountKey, resolvedHost } from '../../src/registry/account-address';

describe('resolvedHost', () => {
  it('reads every spelling of an address as one', async () => {
    expect(await resolvedHost('2001:DB8:0:0:0:0:0:1')).toBe('2001:db8::1');
    expect(await resolvedHost('::ffff:192.0.2.7')).toBe('192.0.2.7');
    expect(await resolvedHost(' 192.0.2.7 ')).toBe('192.0.2.7');
  });

  it('takes every loopback spelling as one host', async () => {
    for (const host of ['localhost', 'LOCALHOST', '127.0.0.1', '::1', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1']) expect(await resolvedHost(host)).toBe('loopback');
  });

  it('refuses to name a host that does not resolve (its spelling would name another account)', async () => {
    await expect(resolvedHost('SMSC.Does-Not-Exist.invalid.')).rejects.toThrow('the carrier host "smsc.does-not-exist.invalid" did not resolve');
  });
});

describe('carrierAccountKey', () => {
  it('is one key for the spellings of one account, another for another port or system_id', async () => {
    const key = (host: string, port = 2775, systemId = 'acme') => carrierAccountKey({ host, port, systemId });
    expect(await key('localhost')).toBe(await key('127.0.0.1'));
    expect(await key('192.0.2.7')).toBe(await key('::ffff:192.0.2.7'));
    expect(new Set([await key('192.0.2.7'), await key('192.0.2.8'), await key('192.0.2.7', 2776), await key('192.0.2.7', 2775, 'other')]).size).toBe(4);
  });
});
