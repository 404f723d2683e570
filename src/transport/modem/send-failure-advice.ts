/**
 * What to do about a +CMS ERROR that failed a send, in the words a user of the node needs: the
 * code alone ("+CMS ERROR 330") does not say that the fix is the SMSC Number in the credential.
 */
import type { AtCommandError } from './at/at-errors';

const ADVICE: Readonly<Record<number, string>> = {
  310: 'there is no SIM card in the modem',
  311: 'the SIM card asks for its PIN: enter it in the GSM Modem credential',
  316: 'the SIM card is locked and needs its PUK: unlock it in a phone, then set the new PIN in the credential',
  314: 'the SIM card is busy (the modem is still starting); try again in a few seconds',
  322: "the modem's message memory is full: delete messages (an active SMS Trigger on this modem reads and deletes them) or use a SIM with free memory",
  330: "the modem knows no SMS centre: enter your operator's SMSC Number in the GSM Modem credential",
  331: 'the modem is not registered on a network: check the antenna, the coverage and that the SIM card is active',
  332: 'the network did not answer in time: check the signal (the credential test shows it) and try again later',
  42: 'the network is congested: try again later',
  50: "the SIM's subscription does not include SMS: ask the operator",
  21: "the network refused the message: check the number and the SIM's credit",
};

/** ": <advice>" for the codes users meet, '' for the rest. */
export function sendFailureAdvice(error: AtCommandError): string {
  const advice = error.kind === 'cms' && error.code !== undefined ? ADVICE[error.code] : undefined;
  return advice ? `: ${advice}` : '';
}
