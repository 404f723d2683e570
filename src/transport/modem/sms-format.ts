/**
 * PDU mode when the modem has it (everything is hex: nothing in a message can be mistaken for
 * an answer); text mode only on a modem that has nothing else, in the character set that keeps
 * messages apart from the modem's own words:
 * - "UCS2" or "HEX": every text and address is hex (TS 27.005 3.1, TS 27.007 5.5): nothing a
 *   message says can look like an answer or span lines.
 * - "GSM" or "IRA": texts come as typed, and a text can say "OK", "ERROR", "RING" or span lines.
 *   Its length (AT+CSDH=1 shows it in the header) is then what tells where it ends; a modem
 *   without AT+CSDH=1 cannot be read safely, and its messages are left on the SIM (said at
 *   start-up) rather than lost.
 * Either way messages are read one at a time with AT+CMGR (see message-store.ts), whose header
 * with AT+CSDH=1 also gives <fo> and <dcs>: a part of a long message (user data header) or 8-bit
 * / UCS2 data shows as hex of its octets, and is read as such.
 */
import type { AtChannel } from './at/at-channel';
import { AtCommandError } from './at/at-errors';
import { optional, smsCommand } from './init-commands';
import type { SmsCommandOptions } from './init-commands';
import { parseTestLists } from './modem-capabilities';
import { ModemInitError } from './modem-init-error';

/** How a text-mode modem's received messages are read: one at a time with AT+CMGR, or not at all (left on the SIM). */
export type TextReading = 'oneByOne' | 'none';

/** How messages travel over the AT port: PDU mode, or text mode in a TE character set. */
export type SmsFormat = { mode: 'pdu' } | { mode: 'text'; charset: string; reading: TextReading };

/** Character sets in order of preference: hex ones first (safe both ways), then GSM (every GSM character), IRA. */
const CHARSETS = ['UCS2', 'HEX', 'GSM', 'IRA'];
const HEX_CHARSETS = new Set(['UCS2', 'HEX']);

export function isHexCharset(charset: string): boolean {
  return HEX_CHARSETS.has(charset);
}

export async function chooseFormat(channel: AtChannel, options: SmsCommandOptions & { log?: (line: string) => void }): Promise<SmsFormat> {
  const modes = await optional(channel, 'AT+CMGF=?', options.log);
  const offered = modes ? parseTestLists(modes.join(' '))[0] : undefined;
  const text = offered !== undefined && !offered.includes('0') && offered.includes('1');
  if (offered !== undefined && !offered.includes('0') && !text) {
    throw new ModemInitError(`the modem offers neither PDU nor text mode (AT+CMGF=? answered ${JSON.stringify(modes?.join(' '))})`, 'init_failed');
  }
  try {
    await smsCommand(channel, `AT+CMGF=${text ? 1 : 0}`, options);
  } catch (err) {
    if (!(err instanceof AtCommandError)) throw err;
    throw new ModemInitError(`the modem refused ${text ? 'text' : 'PDU'} mode (AT+CMGF=${text ? 1 : 0}): ${err.message}`, 'init_failed');
  }
  if (!text) return { mode: 'pdu' };
  const sets = parseTestLists((await optional(channel, 'AT+CSCS=?', options.log))?.join(' ') ?? '')[0] ?? [];
  let charset = 'IRA';
  for (const candidate of CHARSETS.filter((c) => sets.includes(c))) {
    if (await optional(channel, `AT+CSCS="${candidate}"`, options.log)) {
      charset = candidate;
      break;
    }
  }
  const lengths = (await optional(channel, 'AT+CSDH=1', options.log)) !== undefined;
  const reading: TextReading = lengths || isHexCharset(charset) ? 'oneByOne' : 'none';
  options.log?.(
    `the modem offers only text mode: sending one-part messages in ${charset}, receiving each part as its own message${reading === 'none' ? "; it cannot show a message's length (AT+CSDH=1), so received messages cannot be read safely and stay on the SIM" : ''}`,
  );
  return { mode: 'text', charset, reading };
}
