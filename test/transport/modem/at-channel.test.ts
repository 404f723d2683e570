/**
 * The AT channel against a scripted peer on a real pseudo-terminal: the peer answers with the
 * exact bytes real modems send, including unsolicited lines in the middle of an answer.
 */
import { AtChannel } from '../../../src/transport/modem/at/at-channel';
import { AtCommandError, AtLinkClosedError, AtTimeoutError, parseErrorLine } from '../../../src/transport/modem/at/at-errors';
import type { ByteLink } from '../../../src/transport/modem/at/byte-link';
import type { UnsolicitedEvent } from '../../../src/transport/modem/at/unsolicited';
import { openSerialLink } from '../../../src/transport/modem/serial-link';
import { PtyBridge } from '../../../src/transport/modem/simulator';

describe('AtChannel over a pty', () => {
  let bridge: PtyBridge;
  let link: ByteLink;
  let channel: AtChannel;
  let received: string;
  let answer: (command: string) => string | undefined;
  const events: UnsolicitedEvent[] = [];

  beforeEach(async () => {
    bridge = await PtyBridge.start();
    received = '';
    events.length = 0;
    answer = () => undefined;
    bridge.onData((chunk) => {
      received += chunk.toString('latin1');
      let end: number;
      // eslint-disable-next-line no-control-regex -- Ctrl-Z and ESC end an AT+CMGS PDU
      while ((end = received.search(/[\r\x1a\x1b]/)) >= 0) {
        const command = received.slice(0, end + 1);
        received = received.slice(end + 1);
        const reply = answer(command);
        if (reply !== undefined) bridge.write(reply);
      }
    });
    link = await openSerialLink({ path: bridge.path, baudRate: 115200 });
    channel = new AtChannel(link, { defaultTimeoutMs: 2000 });
    channel.on('unsolicited', (e) => events.push(e));
  });

  afterEach(async () => {
    await link.close();
    await bridge.stop();
  });

  it('collects information lines, skips the echo and tells +CMTI apart inside an answer', async () => {
    answer = (c) => (c === 'AT+CMGL=4\r' ? 'AT+CMGL=4\r\r\n+CMGL: 1,0,,5\r\n0011AA\r\n+CMTI: "SM",2\r\n+CMGL: 2,1,,5\r\n0022BB\r\n\r\nOK\r\n' : undefined);
    const lines = await channel.run('AT+CMGL=4');
    expect(lines).toEqual(['+CMGL: 1,0,,5', '0011AA', '+CMGL: 2,1,,5', '0022BB']);
    expect(events).toEqual([{ type: 'messageStored', memory: 'SM', index: 2 }]);
  });

  it('reads a two-line +CDS between a command and its OK, and RING', async () => {
    answer = (c) =>
      c === 'AT+CSQ\r' ? '\r\n+CSQ: 17,99\r\n\r\n+CDS: 25\r\n0006D60B911326880736F4111011719551401110117195714000\r\nRING\r\n\r\nOK\r\n' : undefined;
    await expect(channel.run('AT+CSQ')).resolves.toEqual(['+CSQ: 17,99']);
    expect(events).toEqual([{ type: 'statusReport', length: 25, pdu: '0006D60B911326880736F4111011719551401110117195714000' }, { type: 'ring' }]);
  });

  it('reads +CREG as the answer of AT+CREG? but as unsolicited otherwise', async () => {
    answer = (c) => (c === 'AT+CREG?\r' ? '\r\n+CREG: 0,1\r\n\r\nOK\r\n' : c === 'AT\r' ? '\r\n+CREG: 5\r\n\r\nOK\r\n' : undefined);
    await expect(channel.run('AT+CREG?')).resolves.toEqual(['+CREG: 0,1']);
    await expect(channel.run('AT')).resolves.toEqual([]);
    expect(events).toEqual([{ type: 'other', line: '+CREG: 5' }]);
  });

  it('waits for the "> " prompt, sends the PDU with Ctrl-Z and reads +CMGS', async () => {
    let pdu = '';
    answer = (c) => {
      if (c === 'AT+CMGS=23\r') return '\r\n> ';
      if (c.endsWith('\x1a')) {
        pdu = c;
        return '\r\n+CMGS: 42\r\n\r\nOK\r\n';
      }
      return undefined;
    };
    await expect(channel.run('AT+CMGS=23', { promptData: '0011000B916407281553F80000AA0AE8329BFD4697D9EC37' })).resolves.toEqual(['+CMGS: 42']);
    expect(pdu).toBe('0011000B916407281553F80000AA0AE8329BFD4697D9EC37\x1a');
  });

  it('turns numeric and verbose +CME / +CMS errors into AtCommandError with the standard meaning', async () => {
    answer = (c) =>
      (
        ({
          'AT+CPIN?\r': '\r\n+CME ERROR: 10\r\n',
          'AT+CMGR=9\r': '\r\n+CMS ERROR: 321\r\n',
          'AT+COPS?\r': '\r\n+CME ERROR: no network service\r\n',
          'ATX\r': '\r\nERROR\r\n',
        }) as Record<string, string>
      )[c];
    const sim = await channel.run('AT+CPIN?').catch((e: AtCommandError) => e);
    expect(sim).toMatchObject({ kind: 'cme', code: 10, meaning: 'SIM not inserted', message: 'AT+CPIN? failed: +CME ERROR 10 (SIM not inserted)' });
    await expect(channel.run('AT+CMGR=9')).rejects.toMatchObject({ kind: 'cms', code: 321, meaning: 'invalid memory index' });
    await expect(channel.run('AT+COPS?')).rejects.toMatchObject({ kind: 'cme', code: 30, meaning: 'no network service' });
    await expect(channel.run('ATX')).rejects.toMatchObject({ kind: 'error', message: 'ATX failed: ERROR' });
  });

  it('times out, aborts a pending prompt with ESC, and goes on with the next command', async () => {
    let escaped = false;
    answer = (c) => {
      if (c === '\x1b') escaped = true;
      return c === 'AT\r' ? '\r\nOK\r\n' : undefined;
    };
    const error = await channel.run('AT+CMGS=10', { promptData: '00', timeoutMs: 200 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AtTimeoutError);
    expect(error).toMatchObject({ dataSent: false, message: 'no answer to AT+CMGS=10 within 200 ms' });
    await expect(channel.run('AT')).resolves.toEqual([]);
    expect(escaped).toBe(true);
  });

  it('fails the running and the queued commands when the link closes', async () => {
    const running = channel.run('AT+CSQ');
    const queued = channel.run('AT+CREG?');
    channel.close('test over');
    await expect(running).rejects.toMatchObject({ written: true, dataSent: false });
    await expect(queued).rejects.toBeInstanceOf(AtLinkClosedError);
    await expect(queued).rejects.toMatchObject({ written: false });
    await expect(channel.run('AT')).rejects.toThrow(/AT was interrupted: test over/);
  });
});

describe('parseErrorLine', () => {
  it('masks nothing itself but takes the label it is given (the PIN command is labelled by the caller)', () => {
    expect(parseErrorLine('+CME ERROR: 16', 'AT+CPIN=<PIN>')?.message).toBe('AT+CPIN=<PIN> failed: +CME ERROR 16 (incorrect password)');
    expect(parseErrorLine('+CMS ERROR: 42', 'AT+CMGS=20')?.temporary).toBe(true);
    expect(parseErrorLine('+CMS ERROR: 1', 'AT+CMGS=20')?.temporary).toBe(false);
    expect(parseErrorLine('OK', 'AT')).toBeUndefined();
  });
});
