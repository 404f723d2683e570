/**
 * OTP Issue and OTP Verify on bad input and refusals (memory store, sandbox over TCP): send
 * limits, countries, carrier rejections, templates, entered codes; nothing sent that should not be.
 */
import { logCapture } from '../harness/n8n-harness';
import { Status } from '../../src/transport/smpp/command-status';
import { APPROVED, REJECTED, useMemoryOtpSuite } from '../fixtures/otp/memory-otp-suite';
import { ISSUE, lastCodeSentTo, runIssue, runVerify, VERIFY } from '../fixtures/otp/otp-node-runs';

describe('OTP nodes: refusals and input checks (memory store, sandbox over TCP)', () => {
  const suite = useMemoryOtpSuite();

  it('the 6th send of one verification is refused and nothing is sent; continueOnFail makes it an error item', async () => {
    const phone = '+4915112340009';
    for (let send = 1; send <= 5; send++) {
      const run = await suite.issue(phone);
      expect(run.items(ISSUE)[0]).toMatchObject({ sendCount: send, sendsLeft: 5 - send });
      suite.clock().advanceSeconds(31);
    }
    const sixth = await suite.issue(phone);
    expect(sixth.status).toBe('error');
    expect(sixth.error?.message).toMatch(/refused \(max_sends_reached\).*5 sends/);
    expect(sixth.error?.itemIndex).toBe(0);
    const tolerated = await suite.issue(phone, {}, true);
    expect(tolerated.status).toBe('success');
    expect(tolerated.items(ISSUE)).toEqual([
      expect.objectContaining({ to: phone, status: 'refused', refused: 'max_sends_reached', retryAfterSeconds: expect.any(Number) }),
    ]);
    expect(suite.smsc().store.list({ to: phone })).toHaveLength(5);
  });

  it('refuses a country outside the allow list (default: the default country only) and sends nothing', async () => {
    const swiss = '+41791234567';
    const refused = await suite.issue(swiss);
    expect(refused.status).toBe('error');
    expect(refused.error?.message).toMatch(/refused \(country_not_allowed\): CH is not an allowed destination \(allowed: DE\)/);
    expect(refused.error?.description).toMatch(/Waiting will not help/);
    expect(suite.smsc().store.list({ to: swiss })).toHaveLength(0);
    const allowed = await suite.issue(swiss, { limits: { allowedCountries: 'DE, +41' } });
    expect(allowed.items(ISSUE)[0]).toMatchObject({ to: swiss, status: 'pending' });
    expect(suite.smsc().store.list({ to: swiss })).toHaveLength(1);
    const badList = await suite.issue(swiss, { limits: { allowedCountries: 'DE, Germany' } });
    expect(badList.error?.message).toMatch(/^Allowed Countries: must be an ISO 3166 alpha-2 country like 'DE' or a calling code like '\+49', got "Germany"/);
  });

  it('a first send the carrier rejects cancels the verification, so a retry starts afresh at once', async () => {
    const phone = '+4915112340020';
    suite.smsc().setFaults({ failDestinations: ['4915112340020'], failStatus: Status.invalidDestination });
    try {
      const failed = await suite.issue(phone);
      expect(failed.status).toBe('error');
      expect(failed.error?.message).toMatch(
        /OTP SMS to \+4915112340020 was not accepted by the carrier \(.*ESME_RINVDSTADR.*\); nothing was sent and the verification was ended, so a retry starts a new one at once/,
      );
      const tolerated = await suite.issue(phone, {}, true);
      expect(tolerated.items(ISSUE)[0]).toMatchObject({ to: phone, status: 'error' });
    } finally {
      suite.smsc().setFaults({ failDestinations: [] });
    }
    const retried = await suite.issue(phone);
    expect(retried.items(ISSUE)[0]).toMatchObject({ status: 'pending', sendCount: 1, resent: false });
    expect(suite.routed(await suite.verify(phone, lastCodeSentTo(suite.smsc(), phone))).approved).toHaveLength(1);
  });

  it('renders a custom template and one written as an n8n expression; {code} is required', async () => {
    const phone = '+4915112340014';
    const run = await runIssue(
      { phoneNumber: phone, appName: 'ACME', channel: 'x', codeLength: 4, messageTemplate: '={{ $json.name }}, {code} is your {app} login code' },
      { smsc: suite.smsc(), inputItems: [{ name: 'Alice' }] },
    );
    expect(run.status).toBe('success');
    expect(
      suite
        .smsc()
        .store.list({ to: phone })
        .map((m) => m.text)
        .pop(),
    ).toMatch(/^Alice, \d{4} is your ACME login code$/);

    const before = suite.smsc().store.list().length;
    const noCode = await suite.issue('+4915112340015', { messageTemplate: 'Your code is coming' });
    expect(noCode.error?.message).toMatch(/Message Template has no \{code\} placeholder/);
    const braces = await suite.issue('+4915112340015', { messageTemplate: 'Your code is {{code}}' });
    expect(braces.error?.message).toMatch(/write the placeholder as \{code\} \(single braces\)/);
    const noApp = await runIssue({ phoneNumber: '+4915112340015' }, { smsc: suite.smsc() });
    expect(noApp.error?.message).toMatch(/uses \{app\} but no App Name is set/);
    expect(suite.smsc().store.list()).toHaveLength(before);
    // Nothing was issued either: a verify finds no verification.
    expect(suite.routed(await suite.verify('+4915112340015', '123456')).rejected[0]).toMatchObject({ reason: 'not_found' });
  });

  it('validates the entered code: digits and length, never echoing it', async () => {
    const phone = '+4915112340016';
    await suite.issue(phone);
    const letters = await suite.verify(phone, '12ab56');
    expect(letters.status).toBe('error');
    expect(letters.error?.message).toBe('Code must contain digits only (got 6 characters with letters or symbols)');
    expect(letters.error?.description).toBe('Check "Code" (item 0)');
    const short = await suite.verify(phone, '12345');
    expect(short.error?.message).toMatch(/^Code must be 6 digits for this verification, got 5/);
    const empty = await suite.verify(phone, '={{ "" }}');
    expect(empty.error?.message).toMatch(/Code is empty/);
    const spaced = await suite.verify(phone, lastCodeSentTo(suite.smsc(), phone).replace(/^(\d{3})/, '$1 '));
    expect(suite.routed(spaced).approved).toHaveLength(1);
  });

  it('with continueOnFail a bad item goes to Rejected as an error and the others are still checked', async () => {
    const phone = '+4915112340017';
    await suite.issue(phone);
    const code = lastCodeSentTo(suite.smsc(), phone);
    const run = await runVerify(
      { operation: 'verifySmsCode', phoneNumber: '={{ $json.phone }}', code: '={{ $json.code }}' },
      {
        continueOnFail: true,
        inputItems: [
          { phone: 'not a number', code },
          { phone, code },
        ],
      },
    );
    expect(run.status).toBe('success');
    expect(run.items(VERIFY, APPROVED)).toEqual([expect.objectContaining({ to: phone, approved: true })]);
    expect(run.outputs(VERIFY)[APPROVED][0].pairedItem).toEqual({ item: 1 });
    const [bad] = run.items(VERIFY, REJECTED);
    expect(bad).toMatchObject({ to: 'not a number', approved: false, status: 'error', field: 'phoneNumber' });
    expect(run.outputs(VERIFY)[REJECTED][0].pairedItem).toEqual({ item: 0 });
  });

  it('no issued code ever appeared in a log line', () => {
    expect(suite.issuedCodes.size).toBeGreaterThanOrEqual(4);
    const logs = logCapture.text();
    expect(logs.length).toBeGreaterThan(0);
    for (const code of suite.issuedCodes) expect(logs).not.toContain(code);
  });
});
