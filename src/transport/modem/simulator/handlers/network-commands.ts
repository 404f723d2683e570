/** Registration (+CREG/+CGREG/+CEREG with unsolicited codes), signal (+CSQ), operator (+COPS). */
import { OK, cme } from '../command-context';
import type { CommandContext, CommandHandler } from '../command-context';
import type { RegistrationCommand } from '../modem-profiles';

/** "+CREG: <stat>[,<lac>,<ci>,<AcT>]" as an unsolicited code (<n> 1 or 2). */
export function registrationUrc(command: RegistrationCommand, stat: number, n: number, accessTechnology: number): string {
  return n >= 2 && (stat === 1 || stat === 5) ? `${command}: ${stat},"1A2B","00C3D4E5",${accessTechnology}` : `${command}: ${stat}`;
}

function registration(command: RegistrationCommand): CommandHandler {
  return (ctx, at) => {
    const settings = ctx.session.settings;
    if (at.form === 'test') return (ctx.info(`${command}: (0-2)`), OK);
    if (at.form === 'read') {
      const n = settings.registrationUrcs[command];
      const stat = ctx.registration(command);
      const location = n >= 2 && (stat === 1 || stat === 5) ? `,"1A2B","00C3D4E5",${ctx.profile.accessTechnology}` : '';
      ctx.info(`${command}: ${n},${stat}${location}`);
      return OK;
    }
    const n = at.args === '' ? 0 : Number(at.args);
    if (![0, 1, 2].includes(n)) return cme(3);
    settings.registrationUrcs[command] = n;
    return OK;
  };
}

const csq: CommandHandler = (ctx, at) => {
  if (at.form === 'test') return (ctx.info('+CSQ: (0-31,99),(0-7,99)'), OK);
  // The radio measures the signal whenever it is on, registered or not (a denied SIM still has a signal).
  ctx.info(`+CSQ: ${ctx.session.functionality === 1 ? ctx.rssi : 99},99`);
  return OK;
};

function registeredAnywhere(ctx: CommandContext): boolean {
  return ctx.profile.registrationCommands.some((c) => [1, 5].includes(ctx.registration(c)));
}

const cops: CommandHandler = (ctx, at) => {
  if (at.form === 'test') {
    ctx.info(`+COPS: (2,"${ctx.operatorName}","${ctx.operatorName.slice(0, 8)}","23499",${ctx.profile.accessTechnology}),,(0-4),(0-2)`);
    return OK;
  }
  if (at.form === 'read') {
    ctx.info(registeredAnywhere(ctx) ? `+COPS: 0,0,"${ctx.operatorName}",${ctx.profile.accessTechnology}` : '+COPS: 0');
    return OK;
  }
  return OK;
};

export const NETWORK_COMMANDS: Record<string, CommandHandler> = {
  '+CREG': registration('+CREG'),
  '+CGREG': registration('+CGREG'),
  '+CEREG': registration('+CEREG'),
  '+CSQ': csq,
  '+COPS': cops,
};
