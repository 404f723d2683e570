/**
 * Vendor commands the profiles' users rely on: Huawei's AT^CURC=0 turns off the periodic
 * notices (^RSSI, ^MODE, ^DSFLOWRPT, ...) that otherwise arrive at any time; AT^PORTSEL picks
 * the port that gets them.
 */
import { ERROR, OK } from '../command-context';
import type { CommandHandler } from '../command-context';

const curc: CommandHandler = (ctx, command) => {
  if (ctx.profile.noiseSwitch !== '^CURC') return ERROR;
  if (command.form === 'test') return (ctx.info('^CURC: (0,1)'), OK);
  if (command.form === 'read') return (ctx.info(`^CURC: ${ctx.session.settings.noise ? 1 : 0}`), OK);
  if (command.args !== '0' && command.args !== '1') return ERROR;
  ctx.session.settings.noise = command.args === '1';
  return OK;
};

/** Huawei's AT^PORTSEL (which port gets the notices): accepted, as the stick does. */
const portsel: CommandHandler = (ctx, command) => {
  if (ctx.profile.noiseSwitch !== '^CURC') return ERROR;
  if (command.form === 'read') return (ctx.info('^PORTSEL: 0'), OK);
  return command.form === 'test' || command.args === '0' || command.args === '1' ? OK : ERROR;
};

export const VENDOR_COMMANDS: Record<string, CommandHandler> = { '^CURC': curc, '^PORTSEL': portsel };
