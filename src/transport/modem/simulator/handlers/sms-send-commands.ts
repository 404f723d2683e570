/**
 * Sending: +CMGS in PDU mode (<length>, "> ", hex, Ctrl-Z) and in text mode ("<da>", "> ",
 * text in the +CSCS character set, Ctrl-Z; TP fields from +CSMP), and +CMMS.
 */
import { textToSeptets } from '../../../../encoding';
import { splitArgs, unquote } from '../at-command-line';
import { OK, cms } from '../command-context';
import type { CommandContext, CommandHandler, CommandResult } from '../command-context';
import { buildSmsSubmit, decodeSmsSubmit, pduHexToBuffer } from '../../pdu';
import type { SmsSubmit } from '../../pdu';
import { readTypedAddress, readTypedText } from '../text-mode-format';
import { needsSim } from './sms-settings-commands';

function pduSend(ctx: CommandContext, length: number): CommandResult {
  if (!(length > 0 && length <= 164)) return cms(304);
  return {
    kind: 'prompt',
    onText: (hex) => {
      let submit: SmsSubmit;
      try {
        const pdu = pduHexToBuffer(hex.trim());
        if (pdu.length - 1 - pdu[0] !== length) return cms(304);
        submit = decodeSmsSubmit(pdu);
      } catch {
        return cms(304);
      }
      return ctx.submit(submit, hex.trim().toUpperCase());
    },
  };
}

function textSend(ctx: CommandContext, typed: string, toda: number | undefined): CommandResult {
  // <da> in the TE character set: after AT+CSCS="UCS2" a plain "+4479..." is refused, as modems do.
  const destination = readTypedAddress(typed, ctx.session.settings.cscs);
  if (destination === undefined || !/^\+?\d{1,20}$/.test(destination)) return cms(305);
  return {
    kind: 'prompt',
    onText: (input) => {
      const [fo, vp, pid, dcs] = ctx.session.settings.csmp;
      let userData: Buffer;
      try {
        // GSM-7 is typed in the TE character set; 8-bit and UCS2 data only as hex (TS 27.005 3.1).
        const typedText = readTypedText(input, ctx.session.settings.cscs, dcs);
        userData = typedText.octets ?? Buffer.from(textToSeptets(typedText.text ?? ''));
      } catch {
        return cms(305);
      }
      let built;
      try {
        built = buildSmsSubmit({
          to: destination,
          toTon: destination.startsWith('+') || toda === 145 ? 1 : 0,
          dcs,
          userData,
          protocolId: pid,
          statusReport: (fo & 0x20) !== 0,
          validitySeconds: (fo & 0x18) === 0x10 ? relativeSeconds(vp) : undefined,
        });
      } catch {
        return cms(305); // longer than one SMS: text mode has no concatenation
      }
      const hex = built.pdu.toString('hex').toUpperCase();
      return ctx.submit(decodeSmsSubmit(built.pdu), hex);
    },
  };
}

/** TP-VP relative (TS 23.040 9.2.3.12.1) in seconds. */
function relativeSeconds(vp: number): number {
  if (vp <= 143) return (vp + 1) * 300;
  if (vp <= 167) return 43200 + (vp - 143) * 1800;
  if (vp <= 196) return (vp - 166) * 86400;
  return (vp - 192) * 7 * 86400;
}

const cmgs: CommandHandler = (ctx, command) => {
  if (command.form === 'test') return OK;
  if (command.form !== 'set') return cms(302);
  if (ctx.session.settings.cmgf === 0) return pduSend(ctx, Number(command.args));
  const [da, toda] = splitArgs(command.args);
  return textSend(ctx, unquote(da), toda === undefined ? undefined : Number(toda));
};

const cmms: CommandHandler = (ctx, command) => {
  if (command.form === 'test') return (ctx.info('+CMMS: (0-2)'), OK);
  if (command.form === 'read') return (ctx.info(`+CMMS: ${ctx.session.settings.cmms}`), OK);
  const value = Number(command.args || 0);
  if (![0, 1, 2].includes(value)) return cms(302);
  ctx.session.settings.cmms = value;
  return OK;
};

export const SMS_SEND_COMMANDS: Record<string, CommandHandler> = {
  '+CMGS': needsSim(cmgs),
  '+CMMS': cmms,
};
