/** Test helper: a terminal on the simulator (no pty): type a line, read what came back since. */
import { ModemSimulator } from '../../../src/transport/modem/simulator';
import type { ModemSimulatorOptions } from '../../../src/transport/modem/simulator';

export interface SimulatorTerminal {
  simulator: ModemSimulator;
  /** What the modem wrote since the last take() or type(). */
  take(): string;
  type(text: string): string;
}

export function terminal(options: ModemSimulatorOptions = {}): SimulatorTerminal {
  let output = '';
  let listener: (chunk: Buffer) => void = () => undefined;
  const simulator = new ModemSimulator(
    {
      write: (data) => {
        output += typeof data === 'string' ? data : data.toString('latin1');
      },
      onData: (l) => {
        listener = l;
      },
    },
    options,
  );
  const take = (): string => {
    const out = output;
    output = '';
    return out;
  };
  return {
    simulator,
    take,
    type: (text: string): string => {
      take();
      listener(Buffer.from(text, 'latin1'));
      return take();
    },
  };
}
