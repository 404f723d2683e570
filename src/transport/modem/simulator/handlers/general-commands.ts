/** V.250 basics and TS 27.007 identity/control: echo, verbose, reset, ATI, +CGMI/+CGMM/+CGMR/+CGSN/+CIMI, +CMEE, +CSCS, +CFUN. */
import { unquote } from '../at-command-line';
import { ERROR, OK, cme, simBlocked } from '../command-context';
import type { CommandContext, CommandHandler, CommandResult } from '../command-context';
import { defaultSettings } from '../sim-session';

/** A basic command with a 0/1 flag (E0, V1). */
function flag(apply: (ctx: CommandContext, on: boolean) => void): CommandHandler {
  return (ctx, command) => {
    if (command.args !== '' && command.args !== '0' && command.args !== '1') return ERROR;
    apply(ctx, command.args === '1');
    return OK;
  };
}

const accept: CommandHandler = () => OK;

const resetSettings: CommandHandler = (ctx) => {
  ctx.session.settings = defaultSettings(ctx.profile);
  return OK;
};

/** A read-only identity answer (exec form, and "=?" answering OK as modems do). */
function identity(line: (ctx: CommandContext) => string | CommandResult): CommandHandler {
  return (ctx, command) => {
    if (command.form === 'test') return OK;
    if (command.form !== 'exec') return ERROR;
    const value = line(ctx);
    if (typeof value !== 'string') return value;
    ctx.info(value);
    return OK;
  };
}

const manufacturer = identity((ctx) => ctx.profile.manufacturer);
const model = identity((ctx) => ctx.profile.model);
const revision = identity((ctx) => (ctx.profile.revisionPrefixed ? `+CGMR: ${ctx.profile.revision}` : ctx.profile.revision));
const serial = identity((ctx) => ctx.profile.imei);

const cmee: CommandHandler = (ctx, command) => {
  if (command.form === 'test') return (ctx.info('+CMEE: (0-2)'), OK);
  if (command.form === 'read') return (ctx.info(`+CMEE: ${ctx.session.settings.cmee}`), OK);
  const value = command.args === '' ? 0 : Number(command.args);
  if (![0, 1, 2].includes(value)) return cme(3);
  ctx.session.settings.cmee = value;
  return OK;
};

const cscs: CommandHandler = (ctx, command) => {
  const charsets = ctx.profile.charsets;
  if (command.form === 'test') return (ctx.info(`+CSCS: (${charsets.map((c) => `"${c}"`).join(',')})`), OK);
  if (command.form === 'read') return (ctx.info(`+CSCS: "${ctx.session.settings.cscs}"`), OK);
  const charset = unquote(command.args).toUpperCase();
  if (!charsets.includes(charset)) return cme(4);
  ctx.session.settings.cscs = charset;
  return OK;
};

const cfun: CommandHandler = (ctx, command) => {
  if (command.form === 'test') return (ctx.info('+CFUN: (0,1,4),(0,1)'), OK);
  if (command.form === 'read') return (ctx.info(`+CFUN: ${ctx.session.functionality}`), OK);
  const [fun, reset] = command.args.split(',').map((v) => Number(v.trim()));
  if (![0, 1, 4].includes(fun) || (reset !== undefined && ![0, 1].includes(reset))) return cme(3);
  if (reset === 1) ctx.restart();
  else ctx.setFunctionality(fun);
  return OK;
};

const imsi = identity((ctx) => simBlocked(ctx.session, false) ?? ctx.imsi);

const ati: CommandHandler = (ctx) => {
  for (const line of ctx.profile.ati) ctx.info(line);
  return OK;
};

export const GENERAL_COMMANDS: Record<string, CommandHandler> = {
  E: flag((ctx, on) => {
    ctx.session.settings.echo = on;
  }),
  V: flag((ctx, on) => {
    ctx.session.settings.verbose = on;
  }),
  Z: resetSettings,
  '&F': resetSettings,
  I: ati,
  Q: flag((ctx, on) => {
    ctx.session.settings.quiet = on;
  }),
  X: accept,
  '&C': accept,
  '&D': accept,
  '&K': accept,
  '&W': accept,
  S0: accept,
  S3: accept,
  S4: accept,
  S7: accept,
  '+GCAP': identity(() => '+GCAP: +CGSM'),
  '+CGMI': manufacturer,
  '+GMI': manufacturer,
  '+CGMM': model,
  '+GMM': model,
  '+CGMR': revision,
  '+GMR': revision,
  '+CGSN': serial,
  '+GSN': serial,
  '+CIMI': imsi,
  '+CMEE': cmee,
  '+CSCS': cscs,
  '+CFUN': cfun,
};
