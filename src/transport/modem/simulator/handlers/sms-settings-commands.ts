/** TS 27.005 message service settings: +CSMS, +CMGF, +CSCA, +CPMS, +CNMI, +CSMP, +CSDH. */
import { splitArgs, unquote } from '../at-command-line';
import { OK, cms, rangeList, simBlocked } from '../command-context';
import type { CommandContext, CommandHandler } from '../command-context';

/** A command that needs a ready SIM (and, for SMS commands, the end of start-up). */
export function needsSim(handler: CommandHandler): CommandHandler {
  return (ctx, command) => (command.form === 'test' ? handler(ctx, command) : (simBlocked(ctx.session, true) ?? handler(ctx, command)));
}

/** A setting read as "+X: <n>" and set from a list of allowed values. */
function numberSetting(name: string, allowed: number[], get: (ctx: CommandContext) => number, set: (ctx: CommandContext, v: number) => void): CommandHandler {
  return (ctx, command) => {
    if (command.form === 'test') return (ctx.info(`${name}: ${rangeList(allowed)}`), OK);
    if (command.form === 'read') return (ctx.info(`${name}: ${get(ctx)}`), OK);
    const value = command.args === '' ? 0 : Number(command.args);
    if (!allowed.includes(value)) return cms(command.name === '+CMGF' ? 303 : 302);
    set(ctx, value);
    return OK;
  };
}

const csms: CommandHandler = (ctx, command) => {
  if (command.form === 'test') return (ctx.info('+CSMS: (0,1)'), OK);
  if (command.form === 'read') return (ctx.info(`+CSMS: ${ctx.session.settings.csms},1,1,1`), OK);
  const value = Number(command.args || 0);
  if (value !== 0 && value !== 1) return cms(303);
  ctx.session.settings.csms = value;
  ctx.info('+CSMS: 1,1,1');
  return OK;
};

const csca: CommandHandler = (ctx, command) => {
  if (command.form === 'test') return OK;
  if (command.form === 'read') {
    const smsc = ctx.session.smsc;
    ctx.info(`+CSCA: "${smsc}",${smsc.startsWith('+') ? 145 : 129}`);
    return OK;
  }
  const number = unquote(splitArgs(command.args)[0]);
  if (!/^\+?\d{0,20}$/.test(number)) return cms(304);
  ctx.session.smsc = number;
  return OK;
};

/** "+CPMS: <used1>,<total1>,..." for the chosen memories. */
function usage(ctx: CommandContext, memories: string[], named: boolean): string | undefined {
  const parts: string[] = [];
  for (const name of memories) {
    const memory = ctx.memory(name);
    if (!memory) return undefined;
    parts.push(`${named ? `"${name}",` : ''}${memory.used},${memory.capacity}`);
  }
  return `+CPMS: ${parts.join(',')}`;
}

const cpms: CommandHandler = (ctx, command) => {
  const settings = ctx.session.settings;
  const offered = ctx.profile.memories.map((m) => `"${m}"`).join(',');
  if (command.form === 'test') return (ctx.info(`+CPMS: (${offered}),(${offered}),(${offered})`), OK);
  if (command.form === 'read') return (ctx.info(usage(ctx, settings.cpms, true) as string), OK);
  const wanted = splitArgs(command.args)
    .map((a) => unquote(a).toUpperCase())
    .filter((a) => a !== '');
  if (wanted.length === 0 || wanted.length > 3 || wanted.some((m) => !ctx.profile.memories.includes(m))) return cms(302);
  const next = [...settings.cpms] as [string, string, string];
  wanted.forEach((m, i) => {
    next[i] = m;
  });
  const answer = usage(ctx, next, false);
  if (!answer) return cms(302);
  settings.cpms = next;
  ctx.info(answer);
  return OK;
};

const cnmi: CommandHandler = (ctx, command) => {
  const supported = ctx.profile.cnmi;
  const order = [supported.mode, supported.mt, supported.bm, supported.ds, supported.bfr];
  if (command.form === 'test') return (ctx.info(`+CNMI: ${order.map(rangeList).join(',')}`), OK);
  if (command.form === 'read') return (ctx.info(`+CNMI: ${ctx.session.settings.cnmi.join(',')}`), OK);
  const values = splitArgs(command.args).map((v) => (v === '' ? 0 : Number(v)));
  // A value the modem does not support is refused as a whole ("+CMS ERROR: 303"), as real modems do.
  if (values.length > 5 || values.some((v, i) => !order[i].includes(v))) return cms(303);
  const next = [...ctx.session.settings.cnmi];
  values.forEach((v, i) => {
    next[i] = v;
  });
  ctx.session.settings.cnmi = next;
  ctx.indicationsChanged();
  return OK;
};

const csmp: CommandHandler = (ctx, command) => {
  if (command.form === 'test') return OK;
  if (command.form === 'read') return (ctx.info(`+CSMP: ${ctx.session.settings.csmp.join(',')}`), OK);
  const values = splitArgs(command.args).map((v) => (v === '' ? undefined : Number(v)));
  if (values.some((v) => v !== undefined && !(Number.isInteger(v) && v >= 0 && v <= 255))) return cms(305);
  ctx.session.settings.csmp = ctx.session.settings.csmp.map((old, i) => values[i] ?? old);
  return OK;
};

/** +CNMA: acknowledges a +CMT / +CDS shown directly (needed with +CSMS=1, TS 27.005 3.4.4). */
const cnma: CommandHandler = (ctx, command) => {
  if (command.form === 'test') return OK;
  return ctx.acknowledge() ? OK : cms(340);
};

export const SMS_SETTINGS_COMMANDS: Record<string, CommandHandler> = {
  '+CNMA': cnma,
  '+CSMS': csms,
  '+CMGF': (ctx, command) =>
    numberSetting(
      '+CMGF',
      ctx.profile.smsModes,
      (c) => c.session.settings.cmgf,
      (c, v) => {
        c.session.settings.cmgf = v;
      },
    )(ctx, command),
  '+CSDH': numberSetting(
    '+CSDH',
    [0, 1],
    (c) => c.session.settings.csdh,
    (c, v) => {
      c.session.settings.csdh = v;
    },
  ),
  '+CSCA': needsSim(csca),
  '+CPMS': needsSim(cpms),
  '+CNMI': cnmi,
  '+CSMP': csmp,
};
