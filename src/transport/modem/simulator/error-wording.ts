/**
 * The words of +CME / +CMS errors after AT+CMEE=2, as the simulated modem says them. Kept apart
 * from the transport's own table on purpose: if the simulator used the transport's words, a
 * transport that matched words instead of meanings would pass every test and fail on a real
 * modem. The base wording is TS 27.007 9.2 / TS 27.005 3.2.5's; profiles change some of it the
 * way vendors do (other case, "(U)SIM", trailing punctuation).
 */
import type { ModemProfileId } from './modem-profiles';

const CME: Readonly<Record<number, string>> = {
  3: 'operation not allowed',
  4: 'operation not supported',
  10: 'SIM not inserted',
  11: 'SIM PIN required',
  12: 'SIM PUK required',
  13: 'SIM failure',
  14: 'SIM busy',
  15: 'SIM wrong',
  16: 'incorrect password',
  20: 'memory full',
  21: 'invalid index',
  30: 'no network service',
  31: 'network timeout',
  100: 'unknown',
};

const CMS: Readonly<Record<number, string>> = {
  21: 'Short message transfer rejected',
  42: 'Congestion',
  300: 'ME failure',
  302: 'operation not allowed',
  303: 'operation not supported',
  304: 'invalid PDU mode parameter',
  305: 'invalid text mode parameter',
  310: 'SIM not inserted',
  311: 'SIM PIN required',
  313: 'SIM failure',
  314: 'SIM busy',
  316: 'SIM PUK required',
  321: 'invalid memory index',
  322: 'memory full',
  330: 'SMSC address unknown',
  331: 'no network service',
  332: 'network timeout',
  340: 'no +CNMA acknowledgement expected',
  500: 'unknown error',
};

/** Vendor wordings that differ from the standard's. */
const VENDOR: Partial<Record<ModemProfileId, { cme?: Record<number, string>; cms?: Record<number, string> }>> = {
  ec25: { cme: { 10: '(U)SIM not inserted', 13: '(U)SIM failure', 14: '(U)SIM busy' }, cms: { 310: '(U)SIM not inserted', 314: '(U)SIM busy' } },
  sim7600: { cme: { 10: 'SIM not inserted.', 16: 'Incorrect password' }, cms: { 330: 'SMSC address unknown.' } },
  e173: { cme: { 10: 'SIM NOT INSERTED', 11: 'SIM PIN REQUIRED', 14: 'SIM BUSY' } },
};

export function verboseError(profile: ModemProfileId, kind: 'cme' | 'cms', code: number): string {
  const own = VENDOR[profile]?.[kind]?.[code];
  return own ?? (kind === 'cme' ? CME : CMS)[code] ?? String(code);
}
