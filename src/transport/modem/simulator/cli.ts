/**
 * Runs a simulated GSM modem for the demo or for trying the nodes without hardware:
 *   node dist/src/transport/modem/simulator/cli.js [--profile sim800|sim7600|ec25|e173] [--pin 1234] [--path /tmp/ttyGSM0]
 * Prints the device path to put in the GSM Modem credential, every SMS "sent" through it, and
 * reads commands from stdin:
 *   sms <from> <text...>      an SMS arrives (from: +4915..., or a name for an alphanumeric sender)
 *   report <mr> [status]      a status report for message reference <mr> (TP-ST, default 0 = delivered)
 *   vanish | restore          unplug / re-plug the modem
 *   hang | wake               stop / resume answering
 *   fail <cms code>           the next send fails with +CMS ERROR <code>
 *   register <stat>           registration changes (1 home, 5 roaming, 0 none, 2 searching, 3 denied)
 */
import { createInterface } from 'readline';
import { startSimulatedModem } from './index';
import type { ModemProfileId, SimulatedModem } from './index';

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? process.argv[index + 1] : undefined;
}

async function command(sim: SimulatedModem, line: string): Promise<string> {
  const [verb, ...rest] = line.trim().split(/\s+/);
  switch (verb) {
    case 'sms': {
      const [from, ...words] = rest;
      if (!from || words.length === 0) return 'usage: sms <from> <text...>';
      const indexes = sim.simulator.receiveSms({ from, alphanumeric: !/^\+?\d+$/.test(from), text: words.join(' ') });
      return indexes.length > 0 ? `stored at ${indexes.join(', ')}` : 'held by the network until the modem can take it (SIM locked, radio off, memory full)';
    }
    case 'report':
      if (!rest[0]) return 'usage: report <mr> [status]';
      sim.simulator.receiveStatusReport({ messageReference: Number(rest[0]), recipient: '+447911123456', status: Number(rest[1] ?? 0) });
      return 'status report sent';
    case 'vanish':
      await sim.vanish();
      return 'modem unplugged';
    case 'restore':
      await sim.restore();
      return 'modem plugged back in';
    case 'hang':
      sim.simulator.setSilent(true);
      return 'modem stopped answering';
    case 'wake':
      sim.simulator.setSilent(false);
      return 'modem answers again';
    case 'fail':
      sim.simulator.failNextSend(Number(rest[0] ?? 500));
      return `next send fails with +CMS ERROR ${rest[0] ?? 500}`;
    case 'register':
      sim.simulator.setRegistration(Number(rest[0] ?? 1));
      return `registration <stat> ${rest[0] ?? 1}`;
    case '':
      return '';
    default:
      return `unknown command "${verb}" (sms, report, vanish, restore, hang, wake, fail, register)`;
  }
}

async function main(): Promise<void> {
  const sim = await startSimulatedModem({
    profile: argument('profile') as ModemProfileId | undefined,
    pin: argument('pin'),
    path: argument('path'),
    onSent: (sms) =>
      console.log(
        `SENT mr=${sms.messageReference} to=${sms.submit.destination.address}${sms.concat ? ` part ${sms.concat.seq}/${sms.concat.total}` : ''}: ${sms.text}`,
      ),
  });
  const { manufacturer, model } = sim.simulator.profile;
  console.log(`GSM modem simulator (${manufacturer} ${model}) ready at ${sim.path}${argument('pin') ? ' (SIM PIN required)' : ''}`);
  const stop = async (): Promise<void> => {
    await sim.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  const input = createInterface({ input: process.stdin });
  input.on(
    'line',
    (line) =>
      void command(sim, line).then(
        (reply) => reply && console.log(reply),
        (err: Error) => console.log(`error: ${err.message}`),
      ),
  );
  input.on('close', () => void stop());
}

void main().catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});
