/** Reading and deleting stored messages in <mem1>: +CMGL, +CMGR, +CMGD (PDU and text mode). */
import { splitArgs, unquote } from '../at-command-line';
import { OK, cms } from '../command-context';
import type { CommandContext, CommandHandler } from '../command-context';
import type { SimStorage, StoredSms } from '../sim-storage';
import { TEXT_STATUS, textModeEntry } from '../text-mode-format';
import { needsSim } from './sms-settings-commands';

function readMemory(ctx: CommandContext): SimStorage {
  return ctx.memory(ctx.session.settings.cpms[0]) as SimStorage;
}

/** Reading an unread message makes it read (the real object, also behind a combined "MT"). */
function markRead(memory: SimStorage, index: number): void {
  const real = memory.read(index);
  if (real && real.status === 0) real.status = 1;
}

function show(ctx: CommandContext, header: string, stored: StoredSms): void {
  const { cmgf, cscs, csdh } = ctx.session.settings;
  if (cmgf === 0) {
    ctx.info(`${header}${stored.status},,${stored.tpduLength}`);
    ctx.info(stored.pdu);
    return;
  }
  const entry = textModeEntry(stored.pdu, stored.status, cscs, csdh, header.startsWith('+CMGL'));
  ctx.info(`${header}${entry.fields}`);
  if (entry.text !== undefined) ctx.info(entry.text);
}

const cmgl: CommandHandler = (ctx, command) => {
  const text = ctx.session.settings.cmgf === 1;
  if (command.form === 'test') {
    ctx.info(text ? `+CMGL: (${[...TEXT_STATUS, 'ALL'].map((s) => `"${s}"`).join(',')})` : '+CMGL: (0-4)');
    return OK;
  }
  const arg = unquote(command.args).toUpperCase();
  const status = text ? (arg === '' ? 0 : arg === 'ALL' ? 4 : TEXT_STATUS.indexOf(arg)) : Number(arg || 0);
  if (!(Number.isInteger(status) && status >= 0 && status <= 4)) return cms(text ? 305 : 304);
  const memory = readMemory(ctx);
  for (const stored of memory.list(status)) {
    show(ctx, `+CMGL: ${stored.index},`, stored);
    markRead(memory, stored.index);
  }
  return OK;
};

const cmgr: CommandHandler = (ctx, command) => {
  if (command.form === 'test') return OK;
  const index = Number(command.args);
  const memory = readMemory(ctx);
  if (!(Number.isInteger(index) && index >= 1 && index <= memory.capacity)) return cms(321);
  const stored = memory.read(index);
  if (!stored) return OK; // an empty slot: no message, as most modems answer
  show(ctx, '+CMGR: ', stored);
  markRead(memory, index);
  return OK;
};

const cmgd: CommandHandler = (ctx, command) => {
  const memory = readMemory(ctx);
  if (command.form === 'test') {
    const used = memory.list(4).map((s) => s.index);
    ctx.info(`+CMGD: (${used.join(',')}),(0-4)`);
    return OK;
  }
  const [indexArg, flagArg] = splitArgs(command.args);
  const flag = Number(flagArg || 0);
  if (!(flag >= 0 && flag <= 4)) return cms(302);
  if (flag > 0) {
    memory.deleteByFlag(flag);
    return OK;
  }
  const index = Number(indexArg);
  if (!(Number.isInteger(index) && index >= 1 && index <= memory.capacity)) return cms(321);
  memory.delete(index);
  return OK;
};

export const SMS_STORAGE_COMMANDS: Record<string, CommandHandler> = {
  '+CMGL': needsSim(cmgl),
  '+CMGR': needsSim(cmgr),
  '+CMGD': needsSim(cmgd),
};
