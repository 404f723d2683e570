/** +CPIN (TS 27.007 8.3): the SIM's state, entering the PIN, and the PUK with a new PIN. */
import { splitArgs, unquote } from '../at-command-line';
import { ERROR, OK, cme } from '../command-context';
import type { CommandHandler } from '../command-context';

const cpin: CommandHandler = (ctx, command) => {
  const session = ctx.session;
  if (command.form === 'test') return OK;
  if (command.form === 'read') {
    // A missing SIM is an error, not a state (+CME ERROR: 10), as on most modems; so is one powered off (AT+CFUN=0).
    if (session.sim === 'NOT INSERTED') return cme(10);
    if (session.functionality === 0) return cme(13);
    if (session.sim === 'BLOCKED') return cme(13);
    ctx.info(`+CPIN: ${session.sim}`);
    return OK;
  }
  if (command.form !== 'set') return ERROR;
  const [first, second] = splitArgs(command.args).map(unquote);
  if (session.sim === 'NOT INSERTED') return cme(10);
  if (session.sim === 'NOT READY') return cme(14);
  if (session.sim === 'BLOCKED') return cme(13);
  if (session.sim === 'READY') return cme(3);
  if (session.sim === 'SIM PIN') {
    if (first === session.pin) {
      session.sim = 'READY';
      session.pinAttempts = 3;
      return OK;
    }
    session.pinAttempts--;
    if (session.pinAttempts <= 0) session.sim = 'SIM PUK';
    return cme(16);
  }
  // SIM PUK: AT+CPIN=<puk>,<newpin>
  if (second === undefined || !/^\d{4,8}$/.test(second)) return cme(3);
  if (first === session.puk) {
    session.sim = 'READY';
    session.pin = second;
    session.pinAttempts = 3;
    session.pukAttempts = 10;
    return OK;
  }
  session.pukAttempts--;
  if (session.pukAttempts <= 0) session.sim = 'BLOCKED';
  return cme(16);
};

/** +CPINR (TS 27.007 8.65): attempts left for the PIN and the PUK, on modems that have it. */
const cpinr: CommandHandler = (ctx, command) => {
  if (!ctx.profile.pinRetries) return ERROR;
  if (command.form === 'test') return OK;
  const wanted = unquote(command.args).toUpperCase();
  const session = ctx.session;
  if (wanted === '' || wanted === 'SIM PIN') ctx.info(`+CPINR: SIM PIN,${session.pinAttempts},3`);
  if (wanted === '' || wanted === 'SIM PUK') ctx.info(`+CPINR: SIM PUK,${session.pukAttempts},10`);
  return OK;
};

/**
 * Vendor counters of the attempts left (as oFono and ModemManager read them): SIMCom
 * "+SPIC: <pin1>,<pin2>,<puk1>,<puk2>" (SIM800 AT manual), Huawei
 * "^CPIN: <code>,[<times>],<puk_times>,<pin_times>,<puk2_times>,<pin2_times>".
 */
const spic: CommandHandler = (ctx, command) => {
  if (ctx.profile.pinCounter !== '+SPIC') return ERROR;
  if (command.form === 'test') return OK;
  if (command.form !== 'exec') return ERROR;
  ctx.info(`+SPIC: ${ctx.session.pinAttempts},3,${ctx.session.pukAttempts},10`);
  return OK;
};

const huaweiCpin: CommandHandler = (ctx, command) => {
  if (ctx.profile.pinCounter !== '^CPIN') return ERROR;
  if (command.form === 'test') return OK;
  if (command.form !== 'read') return ERROR;
  const { sim, pinAttempts, pukAttempts } = ctx.session;
  if (sim === 'NOT INSERTED') return cme(10);
  const times = sim === 'SIM PIN' ? pinAttempts : sim === 'SIM PUK' ? pukAttempts : '';
  ctx.info(`^CPIN: ${sim},${times},${pukAttempts},${pinAttempts},10,3`);
  return OK;
};

/** +CCID: the SIM's ICCID, readable without the PIN (as on SIMCom, Quectel and Huawei modems). */
const ccid: CommandHandler = (ctx, command) => {
  if (command.form === 'test') return OK;
  if (ctx.session.sim === 'NOT INSERTED') return cme(10);
  ctx.info(`+CCID: ${ctx.iccid}`);
  return OK;
};

export const SIM_COMMANDS: Record<string, CommandHandler> = { '+CPIN': cpin, '+CPINR': cpinr, '+SPIC': spic, '^CPIN': huaweiCpin, '+CCID': ccid };
