/**
 * The simulator does what real modems do where a kinder simulator would hide a transport's
 * mistakes: addresses and texts in the TE character set, 8-bit/UCS2 data only as hex, vendor
 * words for errors, a network answer that comes late, a SIM that restarts or is powered off, no
 * message while the SIM is locked, +CNMI <mode> 0 buffering, +CSMS=1 acknowledgements, ATQ1,
 * message references kept across a restart, a signal measured without registration.
 */
import { waitFor } from './modem-fixture';
import { terminal } from './simulator-terminal';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
/** "+447911123456" in UCS2 hex. */
const UCS2_NUMBER = '002B003400340037003900310031003100320033003400350036';
const UCS2_SMSC = '002B003400340037003700300030003900300030003900390039';

describe('text mode in the TE character set', () => {
  it('shows and takes addresses in UCS2 hex after AT+CSCS="UCS2", and refuses a plain number there', () => {
    const t = terminal({ clock: () => new Date(Date.UTC(2026, 11, 2, 10, 30)) });
    t.type('ATE0;+CMGF=1;+CSCS="UCS2";+CSDH=1\r');
    t.simulator.receiveSms({ from: '+447911123456', text: 'Hi' }, false);
    expect(t.type('AT+CMGR=1\r')).toBe(
      `\r\n+CMGR: "REC UNREAD","${UCS2_NUMBER}",,"26/12/02,10:30:00+00",145,4,0,0,"${UCS2_SMSC}",145,2\r\n00480069\r\n\r\nOK\r\n`,
    );
    expect(t.type('AT+CMGS="+447911123456",145\r')).toBe('\r\n+CMS ERROR: 305\r\n');
    expect(t.type(`AT+CMGS="${UCS2_NUMBER}",145\r`)).toBe('\r\n> ');
    expect(t.type('00480069\x1a')).toBe('\r\n+CMGS: 1\r\n\r\nOK\r\n');
    expect(t.simulator.sent[0]).toMatchObject({ text: 'Hi', submit: { destination: { address: '+447911123456' } } });
  });

  it('writes the GSM character set as GSM 7-bit codes ("@" is 0x00, "{" is Esc 0x28) and reads it so', () => {
    const t = terminal();
    t.type('ATE0;+CMGF=1;+CSCS="GSM";+CSDH=1\r');
    t.simulator.receiveSms({ from: '+447911123456', text: '@_${' }, false);
    const answer = t.type('AT+CMGR=1\r');
    expect(Buffer.from(answer.split('\r\n')[2], 'latin1').toString('hex')).toBe('001102' + '1b28');
    expect(answer).toContain(',145,4,0,0,"+447700900999",145,5\r\n');
    t.type('AT+CMGS="+447911123456"\r');
    t.type('\x00\x11\x02 ok\x1a');
    expect(t.simulator.sent[0].text).toBe('@_$ ok');
  });

  it('takes 8-bit and UCS2 data only as hex: raw text with a UCS2 TP-DCS is refused', () => {
    const t = terminal();
    t.type('ATE0;+CMGF=1;+CSMP=17,167,0,8\r');
    t.type('AT+CMGS="+447911123456"\r');
    expect(t.type('Привет\x1a')).toBe('\r\n+CMS ERROR: 305\r\n');
    t.type('AT+CMGS="+447911123456"\r');
    expect(t.type('041F04400438043204350442\x1a')).toBe('\r\n+CMGS: 1\r\n\r\nOK\r\n');
    expect(t.simulator.sent[0].text).toBe('Привет');
  });
});

describe('the modem and its SIM', () => {
  it("words verbose errors as its vendor does, not as the transport's table", () => {
    const t = terminal({ profile: 'ec25', simInserted: false, overrides: { startupMs: 0 } });
    t.type('ATE0\r');
    expect(t.type('AT+CMEE=2\r')).toBe('\r\nOK\r\n');
    expect(t.type('AT+CPIN?\r')).toBe('\r\n+CME ERROR: (U)SIM not inserted\r\n');
  });

  it('is busy until a late network answer, then answers what was typed meanwhile', async () => {
    const t = terminal();
    t.type('ATE0;+CMGF=1\r');
    t.simulator.answerNextSendLate(150);
    t.type('AT+CMGS="+447911123456"\r');
    expect(t.type('late\x1a')).toBe('');
    expect(t.type('AT\r')).toBe('');
    await waitFor(() => t.simulator.sent.length === 1, 'the network to take it');
    await sleep(250);
    expect(t.take()).toBe('\r\n+CMGS: 1\r\n\r\nOK\r\n\r\nOK\r\n');
  });

  it('restarts its SIM mid-session: NOT READY, then the PIN again; SMS commands wait for it', async () => {
    const t = terminal({ pin: '1234', overrides: { startupMs: 0 } });
    t.type('ATE0;+CMEE=1;+CPIN="1234"\r');
    t.take();
    t.simulator.restartSim(50);
    expect(t.take()).toBe('\r\n+CPIN: NOT READY\r\n');
    expect(t.type('AT+CMGL=4\r')).toBe('\r\n+CMS ERROR: 314\r\n');
    await sleep(100);
    expect(t.take()).toBe('\r\n+CPIN: SIM PIN\r\n');
    expect(t.type('AT+CMGL=4\r')).toBe('\r\n+CMS ERROR: 311\r\n');
  });

  it('gets no message while its SIM is locked: the network keeps it until the PIN is in', () => {
    const t = terminal({ pin: '1234', overrides: { startupMs: 0 } });
    t.type('ATE0;+CNMI=2,1,0,1,0\r');
    expect(t.simulator.receiveSms({ from: '+447911123456', text: 'waiting' })).toEqual([]);
    expect(t.take()).toBe('');
    expect(t.simulator.storage.used).toBe(0);
    expect(t.type('AT+CPIN="1234"\r')).toBe('\r\nOK\r\n\r\n+CMTI: "SM",1\r\n');
  });

  it('powers the SIM off at AT+CFUN=0 and starts it again (asking for the PIN) at AT+CFUN=1', async () => {
    const t = terminal({ pin: '1234', overrides: { startupMs: 0 } });
    t.type('ATE0;+CMEE=1;+CPIN="1234";+CFUN=0\r');
    expect(t.type('AT+CPIN?\r')).toBe('\r\n+CME ERROR: 13\r\n');
    expect(t.type('AT+CMGL=4\r')).toBe('\r\n+CMS ERROR: 313\r\n');
    expect(t.type('AT+CSQ\r')).toContain('+CSQ: 99,99');
    t.type('AT+CFUN=1\r');
    await sleep(10);
    expect(t.take()).toBe('\r\n+CPIN: SIM PIN\r\n');
  });

  it('measures the signal when the network refuses the SIM (registration denied)', () => {
    const t = terminal({ registration: 3 });
    t.type('ATE0\r');
    expect(t.type('AT+CSQ\r')).toBe('\r\n+CSQ: 20,99\r\n\r\nOK\r\n');
  });

  it('gives no result codes after ATQ1, only information, until ATQ0', () => {
    const t = terminal();
    t.type('ATE0\r');
    expect(t.type('ATQ1\r')).toBe('');
    expect(t.type('AT+CSQ\r')).toBe('\r\n+CSQ: 20,99\r\n');
    expect(t.type('ATQ0\r')).toBe('\r\nOK\r\n');
  });

  it('keeps the message reference across a restart (it is stored on the SIM)', () => {
    const t = terminal();
    t.type('ATE0;+CMGF=1\r');
    t.type('AT+CMGS="+447911123456"\r');
    t.type('one\x1a');
    t.simulator.reset();
    t.type('ATE0;+CMGF=1\r');
    t.type('AT+CMGS="+447911123456"\r');
    expect(t.type('two\x1a')).toContain('+CMGS: 2');
  });
});

describe('new-message indications', () => {
  it('keeps indications in the modem with +CNMI <mode> 0 and hands them out when the mode changes (<bfr> 0)', () => {
    const t = terminal({ overrides: { reportMemory: 'SR', memories: ['SM', 'ME', 'MT', 'SR'] } });
    t.type('ATE0;+CNMI=0,1,0,2,0\r');
    t.simulator.receiveSms({ from: '+447911123456', text: 'stored, not announced' });
    t.simulator.receiveStatusReport({ messageReference: 7, recipient: '+447911123456' });
    expect(t.take()).toBe('');
    expect(t.simulator.storage.used).toBe(1);
    expect(t.simulator.memories.get('SR')?.used).toBe(1);
    expect(t.type('AT+CNMI=2,1,0,2,0\r')).toBe('\r\nOK\r\n\r\n+CMTI: "SM",1\r\n\r\n+CDSI: "SR",1\r\n');
    t.type('AT+CNMI=0,1,0,2,1\r');
    t.simulator.receiveSms({ from: '+447911123456', text: 'dropped notice' });
    expect(t.type('AT+CNMI=2,1,0,2,1\r')).toBe('\r\nOK\r\n');
  });

  it('with +CSMS=1 waits for AT+CNMA after a +CDS, and turns direct routing off when it does not come', async () => {
    const t = terminal({ ackTimeoutMs: 50 });
    t.type('ATE0;+CMEE=1;+CSMS=1;+CNMI=2,1,0,1,0\r');
    t.simulator.receiveStatusReport({ messageReference: 1, recipient: '+447911123456' });
    expect(t.take()).toMatch(/^\r\n\+CDS: \d+\r\n[0-9A-F]+\r\n$/);
    expect(t.type('AT+CNMA\r')).toBe('\r\nOK\r\n');
    expect(t.type('AT+CNMA\r')).toBe('\r\n+CMS ERROR: 340\r\n');
    t.simulator.receiveStatusReport({ messageReference: 2, recipient: '+447911123456' });
    t.take();
    await sleep(100);
    expect(t.type('AT+CNMI?\r')).toContain('+CNMI: 2,0,0,0,0');
  });

  it('names "MT" and the combined index in +CMTI where the profile does', () => {
    const t = terminal({ storageSize: 1, overrides: { announceMt: true } });
    t.type('ATE0;+CPMS="SM","SM","MT";+CNMI=2,1,0,0,0\r');
    t.simulator.receiveSms({ from: '+447911123456', text: 'to the SIM' });
    t.simulator.receiveSms({ from: '+447911123456', text: 'to the modem memory' });
    expect(t.take()).toBe('\r\n+CMTI: "MT",1\r\n\r\n+CMTI: "MT",2\r\n');
  });
});

describe('a full message memory', () => {
  it('leaves an SMS in the network while <mem3> is full, says so as the vendor does, and takes it once a slot is free', () => {
    const t = terminal({ profile: 'ec25', storageSize: 1, overrides: { startupMs: 0 } });
    t.type('ATE0;+CPMS="SM","SM","SM";+CNMI=2,1,0,0,0\r');
    t.simulator.receiveSms({ from: '+447911123456', text: 'fills the SIM' });
    expect(t.take()).toBe('\r\n+CMTI: "SM",1\r\n');
    // TS 24.011: the phone answers "memory capacity exceeded" and the network keeps the message.
    expect(t.simulator.receiveSms({ from: '+447911123456', text: 'waits in the network' })).toEqual([]);
    expect(t.take()).toBe('\r\n+QIND: "smsfull","SM"\r\n');
    expect(t.type('AT+CPMS?\r')).toContain('+CPMS: "SM",1,1,"SM",1,1,"SM",1,1');
    // A slot is freed: the modem tells the network (RP-SMMA) and the message comes.
    expect(t.type('AT+CMGD=1\r')).toBe('\r\nOK\r\n\r\n+CMTI: "SM",1\r\n');
    expect(t.type('AT+CMGR=1\r')).toMatch(/\r\n\+CMGR: 0,,\d+\r\n[0-9A-F]+\r\n\r\nOK\r\n/);
    expect(t.simulator.sent).toEqual([]);
  });
});

describe('identity, SIM and message-service commands in their standard forms', () => {
  it('answers +CGSN, +CIMI, ATI, +CSCA, +CSMS, +CMGF, +CMMS, +CSQ and their test and read forms', () => {
    const t = terminal({ profile: 'sim800', pin: '4711', overrides: { startupMs: 0 }, imsi: '234991234567890', smsc: '+447700900999' });
    t.type('ATE0;+CMEE=1\r');
    expect(t.type('AT+CGSN\r')).toBe('\r\n861234031234567\r\n\r\nOK\r\n');
    expect(t.type('AT+CIMI\r')).toBe('\r\n+CME ERROR: 11\r\n'); // the IMSI is on the SIM: PIN first
    expect(t.type('AT+SPIC\r')).toBe('\r\n+SPIC: 3,3,10,10\r\n\r\nOK\r\n');
    t.type('AT+CPIN="4711"\r');
    expect(t.type('AT+CIMI\r')).toBe('\r\n234991234567890\r\n\r\nOK\r\n');
    expect(t.type('ATI\r')).toBe('\r\nSIM800 R14.18\r\n\r\nOK\r\n');
    expect(t.type('AT+CSCA?\r')).toBe('\r\n+CSCA: "+447700900999",145\r\n\r\nOK\r\n');
    expect(t.type('AT+CSCA="+447785016005",145\r')).toBe('\r\nOK\r\n');
    expect(t.type('AT+CSCA?\r')).toBe('\r\n+CSCA: "+447785016005",145\r\n\r\nOK\r\n');
    expect(t.type('AT+CSMS=?\r')).toBe('\r\n+CSMS: (0,1)\r\n\r\nOK\r\n');
    expect(t.type('AT+CSMS?\r')).toBe('\r\n+CSMS: 0,1,1,1\r\n\r\nOK\r\n');
    expect(t.type('AT+CMGF=?\r')).toBe('\r\n+CMGF: (0,1)\r\n\r\nOK\r\n');
    expect(t.type('AT+CMGF=2\r')).toBe('\r\n+CMS ERROR: 303\r\n');
    expect(t.type('AT+CMMS=?\r')).toBe('\r\n+CMMS: (0-2)\r\n\r\nOK\r\n');
    expect(t.type('AT+CMMS=1\r')).toBe('\r\nOK\r\n');
    expect(t.type('AT+CMMS?\r')).toBe('\r\n+CMMS: 1\r\n\r\nOK\r\n');
    expect(t.type('AT+CSQ=?\r')).toBe('\r\n+CSQ: (0-31,99),(0-7,99)\r\n\r\nOK\r\n');
    expect(t.type('AT+CSQ\r')).toBe('\r\n+CSQ: 20,99\r\n\r\nOK\r\n');
    expect(t.type('AT+CGREG=?\r')).toBe('\r\n+CGREG: (0-2)\r\n\r\nOK\r\n');
    expect(t.type('AT+CEREG?\r')).toBe('\r\nERROR\r\n'); // a 2G modem has no LTE registration
  });
});
