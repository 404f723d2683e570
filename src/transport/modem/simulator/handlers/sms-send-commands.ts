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
import { decodeTeText } from '../text-mode-format';
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

function textSend(ctx: CommandContext, destination: string, toda: number | undefined): CommandResult {
  if (!/^\+?\d{1,20}$/.test(destination)) return cms(305);
  return {
    kind: 'prompt',
    onText: (input) => {
      const [fo, vp, pid, dcs] = ctx.session.settings.csmp;
      let text: string;
      try {
        text = decodeTeText(input, ctx.session.settings.cscs);
      } catch {
        return cms(305);
      }
      const ucs2 = (dcs & 0x0c) === 0x08;
      let userData: Buffer;
      try {
        userData = ucs2 ? Buffer.from(text, 'utf16le').swap16() : Buffer.from(textToSeptets(text));
      } catch {
        return cms(305);
      }
      let built;
      try {
        built = buildSmsSubmit({
          to: destination, toTon: destination.startsWith('+') || toda === 145 ? 1 : 0, dcs, userData, protocolId: pid,
          statusReport: (fo & 0x20) !== 0, validitySeconds: (fo & 0x18) === 0x10 ? relativeSeconds(vp) : undefined,
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
