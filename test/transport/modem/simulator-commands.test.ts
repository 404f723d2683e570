/**
 * The simulator speaks TS 27.007 / 27.005 as modems do: command-line syntax, result formats
 * (echo, ATV0/ATV1, +CMEE 0/1/2), test and read forms, PIN/PUK, memories, the "> " prompt with
 * Ctrl-Z and Esc, text mode, start-up and vendor notices. Driven byte by byte as a terminal would.
 */
import { parseCommandLine, splitArgs } from '../../../src/transport/modem/simulator/at-command-line';
import { buildSmsSubmit } from '../../../src/transport/modem/pdu';
import { waitFor } from './modem-fixture';
import { terminal } from './simulator-terminal';

describe('AT command lines', () => {
  it('splits basic and extended commands, forms and quoted arguments', () => {
    expect(parseCommandLine('ATE0V1')).toEqual([
      { name: 'E', form: 'exec', args: '0' },
      { name: 'V', form: 'exec', args: '1' },
    ]);
    expect(parseCommandLine('AT+CMGF=0;+CNMI=2,1,0,1,0')).toEqual([
      { name: '+CMGF', form: 'set', args: '0' },
      { name: '+CNMI', form: 'set', args: '2,1,0,1,0' },
    ]);
    expect(parseCommandLine('at+cscs=?')).toEqual([{ name: '+CSCS', form: 'test', args: '' }]);
    expect(parseCommandLine('AT+CPIN?')).toEqual([{ name: '+CPIN', form: 'read', args: '' }]);
    expect(parseCommandLine('AT&FS0=0^CURC=0')).toEqual([
      { name: '&F', form: 'exec', args: '' },
      { name: 'S0', form: 'set', args: '0' },
      { name: '^CURC', form: 'set', args: '0' },
    ]);
    expect(splitArgs('"+44,77",145')).toEqual(['"+44,77"', '145']);
    expect(parseCommandLine('hello')).toBeUndefined();
  });
});

describe('ModemSimulator answers', () => {
  it('echoes until ATE0, answers in words or numbers (ATV1/ATV0), stops a line at the first error', () => {
    const t = terminal();
    expect(t.type('AT\r')).toBe('AT\r\r\nOK\r\n');
    expect(t.type('ATE0\r')).toBe('ATE0\r\r\nOK\r\n');
    expect(t.type('AT+CMGF=1;+NOPE;+CMGF=0\r')).toBe('\r\nERROR\r\n');
    expect(t.simulator.session.settings.cmgf).toBe(1);
    expect(t.type('ATV0\r')).toBe('0\r');
    expect(t.type('AT+CGMI\r')).toBe('n8n-nodes-sms-gateway\r\n0\r');
    expect(t.type('AT+NOPE\r')).toBe('4\r');
  });

  it('gives +CME errors as +CMEE says, and +CMS errors whatever it says', () => {
    const t = terminal({ simInserted: false });
    t.type('ATE0\r');
    expect(t.type('AT+CPIN?\r')).toBe('\r\nERROR\r\n');
    expect(t.type('AT+CMGL=4\r')).toBe('\r\n+CMS ERROR: 310\r\n');
    t.type('AT+CMEE=1\r');
    expect(t.type('AT+CPIN?\r')).toBe('\r\n+CME ERROR: 10\r\n');
    t.type('AT+CMEE=2\r');
    expect(t.type('AT+CPIN?\r')).toBe('\r\n+CME ERROR: SIM not inserted\r\n');
    expect(t.type('AT+CMGL=4\r')).toBe('\r\n+CMS ERROR: SIM not inserted\r\n');
  });

  it('answers what gammu and smstools ask at start (the commands the old simulator refused)', () => {
    const t = terminal({ profile: 'sim7600', overrides: { startupMs: 0 } });
    t.type('ATE0\r');
    expect(t.type('AT+CFUN=1\r')).toBe('\r\nOK\r\n');
    expect(t.type('AT+CGMR\r')).toBe('\r\n+CGMR: LE20B04SIM7600M22\r\n\r\nOK\r\n');
    expect(t.type('AT+CSCS?\r')).toBe('\r\n+CSCS: "IRA"\r\n\r\nOK\r\n');
    expect(t.type('AT+CSCS=?\r')).toBe('\r\n+CSCS: ("IRA","GSM","UCS2")\r\n\r\nOK\r\n');
    expect(t.type('ATI5\r')).toContain('Model: SIMCOM_SIM7600E-H');
    expect(t.type('AT+CPMS=?\r')).toBe('\r\n+CPMS: ("SM","ME","MT","SR"),("SM","ME","MT","SR"),("SM","ME","MT","SR")\r\n\r\nOK\r\n');
  });

  it('offers and refuses +CNMI settings as each modem does', () => {
    const sim800 = terminal({ profile: 'sim800', overrides: { startupMs: 0 } });
    expect(sim800.type('AT+CNMI=?\r')).toContain('+CNMI: (0-3),(0-3),(0,2),(0,1),(0,1)');
    expect(sim800.type('AT+CNMI=2,1,0,2,0\r')).toContain('+CMS ERROR: 303');
    const e173 = terminal({ profile: 'e173', overrides: { startupMs: 0 } });
    expect(e173.type('AT+CNMI=2,1,0,1,0\r')).toContain('+CMS ERROR: 303');
    expect(e173.type('AT+CNMI=1,1,0,1,0\r')).toContain('OK');
  });

  it('starts up as a SIM800: NOT READY and SMS commands busy, then +CPIN: READY and SMS Ready', async () => {
    const t = terminal({ profile: 'sim800', overrides: { startupMs: 100 } });
    expect(t.take()).toBe('\r\nRDY\r\n\r\n+CFUN: 1\r\n');
    expect(t.type('AT+CPIN?\r')).toContain('+CPIN: NOT READY');
    expect(t.type('AT+CPMS?\r')).toContain('+CMS ERROR: 314');
    let later = '';
    await waitFor(() => (later += t.take()).includes('+CPIN: READY'), 'the SIM ready');
    expect(t.type('AT+CPIN?\r')).toContain('+CPIN: READY');
    expect(t.type('AT+CPMS?\r')).toContain('+CMS ERROR: 314'); // SIM ready, SMS service not yet
    await waitFor(() => (later += t.take()).includes('SMS Ready'), 'SMS Ready');
    expect(later).toBe('\r\n+CPIN: READY\r\n\r\nCall Ready\r\n\r\nSMS Ready\r\n');
    expect(t.type('AT+CPMS?\r')).toContain('OK');
  });

  it('locks the SIM after three wrong PINs and unlocks it with the PUK and a new PIN', () => {
    const t = terminal({ pin: '4711', puk: '87654321' });
    t.type('ATE0\r');
    t.type('AT+CMEE=1\r');
    for (let i = 0; i < 3; i++) expect(t.type('AT+CPIN="0000"\r')).toBe('\r\n+CME ERROR: 16\r\n');
    expect(t.type('AT+CPIN?\r')).toContain('+CPIN: SIM PUK');
    expect(t.type('AT+CPIN="4711"\r')).toContain('+CME ERROR: 3'); // a PIN is not a PUK
    expect(t.type('AT+CPIN="87654321","2468"\r')).toBe('\r\nOK\r\n');
    expect(t.type('AT+CPIN?\r')).toContain('+CPIN: READY');
  });

  it('sends after the "> " prompt, and sends nothing when Esc cancels', () => {
    const t = terminal();
    t.type('ATE0\r');
    const built = buildSmsSubmit({ to: '+447911123456', dcs: 0, userData: Buffer.from([0x48, 0x69]) });
    const hex = built.pdu.toString('hex').toUpperCase();
    expect(t.type(`AT+CMGS=${built.tpduLength}\r`)).toBe('\r\n> ');
    expect(t.type(`${hex}\x1b`)).toBe('\r\nOK\r\n');
    expect(t.simulator.sent).toHaveLength(0);
    t.type(`AT+CMGS=${built.tpduLength}\r`);
    expect(t.type(`${hex}\x1a`)).toBe('\r\n+CMGS: 1\r\n\r\nOK\r\n');
    expect(t.simulator.sent.map((s) => s.text)).toEqual(['Hi']);
  });

  it('sends and lists in text mode, in the GSM and UCS2 character sets', () => {
    const t = terminal({ clock: () => new Date(Date.UTC(2026, 11, 2, 10, 30)) });
    t.type('ATE0\r');
    t.type('AT+CMGF=1\r');
    expect(t.type('AT+CMGS="+447911123456"\r')).toBe('\r\n> ');
    expect(t.type('Gas leak on Elm St\x1a')).toBe('\r\n+CMGS: 1\r\n\r\nOK\r\n');
    expect(t.simulator.sent[0]).toMatchObject({ text: 'Gas leak on Elm St', submit: { destination: { address: '+447911123456' } } });
    t.simulator.receiveSms({ from: '+4915112345678', text: 'Привет' }, false);
    // UCS2 data shows as hex of its octets whatever the character set (TS 27.005 3.1 <data>).
    expect(t.type('AT+CMGL="ALL"\r')).toBe('\r\n+CMGL: 1,"REC UNREAD","+4915112345678",,"26/12/02,10:30:00+00"\r\n041F04400438043204350442\r\n\r\nOK\r\n');
    t.type('AT+CSCS="UCS2"\r');
    // ... and after AT+CSCS="UCS2" so does the address (<oa> in the TE character set).
    expect(t.type('AT+CMGR=1\r')).toBe(
      '\r\n+CMGR: "REC READ","002B0034003900310035003100310032003300340035003600370038",,"26/12/02,10:30:00+00"\r\n041F04400438043204350442\r\n\r\nOK\r\n',
    );
  });

  it('deletes by index and by flag (+CMGD <delflag>)', () => {
    const t = terminal();
    t.type('ATE0\r');
    for (const text of ['a', 'b', 'c']) t.simulator.receiveSms({ from: '+4915112345678', text }, false);
    t.type('AT+CMGR=1\r'); // read: now REC READ
    expect(t.type('AT+CMGD=?\r')).toContain('+CMGD: (1,2,3),(0-4)');
    expect(t.type('AT+CMGD=0,1\r')).toBe('\r\nOK\r\n');
    expect(t.simulator.storage.list(4).map((s) => s.index)).toEqual([2, 3]);
    expect(t.type('AT+CPMS?\r')).toContain('+CPMS: "SM",2,30,"SM",2,30,"SM",2,30');
    t.type('AT+CMGD=1,4\r');
    expect(t.simulator.storage.used).toBe(0);
  });

  it('puts Huawei notices into answers until AT^CURC=0', () => {
    const t = terminal({ profile: 'e173', overrides: { startupMs: 0 } });
    t.type('ATE0\r');
    const answers = [1, 2, 3, 4].map(() => t.type('AT+CSQ\r'));
    expect(answers.filter((a) => /\^(RSSI|MODE|DSFLOWRPT)/.test(a))).toHaveLength(2);
    expect(t.type('AT^CURC=0\r')).toBe('\r\nOK\r\n');
    expect([1, 2, 3, 4].map(() => t.type('AT+CSQ\r')).some((a) => a.includes('^'))).toBe(false);
  });

  it('reports registration changes unsolicited once asked (+CREG=2), and no service in flight mode', () => {
    const t = terminal({ profile: 'ec25', overrides: { startupMs: 0 } });
    t.type('ATE0\r');
    t.type('AT+CREG=2\r');
    t.simulator.setRegistration(5);
    expect(t.take()).toBe('\r\n+CREG: 5,"1A2B","00C3D4E5",7\r\n');
    expect(t.type('AT+CEREG?\r')).toContain('+CEREG: 0,5');
    t.type('AT+CFUN=4\r');
    expect(t.type('AT+CSQ\r')).toContain('+CSQ: 99,99');
    t.type('AT+CMGF=1\r');
    t.type('AT+CMGS="+447911123456"\r');
    expect(t.type('x\x1a')).toContain('+CMS ERROR: 331');
  });
});
