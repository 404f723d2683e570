/**
 * Splits one AT command line into its commands (V.250 5.2 / 3GPP TS 27.007 4): after the "AT"
 * prefix come basic commands (E0, V1, Z, I5, &F, Q0, S0=0) and extended ones (+CMGF=0, +CPIN?,
 * +CSCS=?, ^CURC=0), extended ones separated by ';'. A real modem runs them in order and stops at
 * the first error; so does the simulator.
 */

/** exec: "+CGMI"; read: "+CPIN?"; test: "+CSCS=?"; set: "+CMGF=0". */
export type AtCommandForm = 'exec' | 'read' | 'test' | 'set';

export interface AtCommand {
  /** Upper-cased name: "E", "V", "Z", "I", "&F", "S0", "+CMGF", "^CURC". */
  name: string;
  form: AtCommandForm;
  /** The text after '=' (set form), or the digits of a basic command ("0" of E0); '' when absent. */
  args: string;
}

const EXTENDED = /^[+^$#%*][A-Z][A-Z0-9]*/;
const BASIC = /^(&?[A-Z])(\d*)/;
const S_REGISTER = /^S(\d+)(=\d*|\?)/;

/** Splits the argument text at commas outside quotes: '"+4477",145' -> ['"+4477"', '145']. */
export function splitArgs(args: string): string[] {
  const out: string[] = [];
  let current = '';
  let quoted = false;
  for (const ch of args) {
    if (ch === '"') quoted = !quoted;
    if (ch === ',' && !quoted) {
      out.push(current.trim());
      current = '';
    } else current += ch;
  }
  out.push(current.trim());
  return out;
}

/** The value of a quoted or bare argument: '"SM"' -> 'SM'. */
export function unquote(arg: string | undefined): string {
  return (arg ?? '').trim().replace(/^"(.*)"$/, '$1');
}

/** Parses everything after "AT"; undefined when the line is not valid command syntax. */
export function parseCommandLine(line: string): AtCommand[] | undefined {
  if (!/^AT/i.test(line)) return undefined;
  let rest = line.slice(2);
  const commands: AtCommand[] = [];
  while (rest.length > 0) {
    if (rest[0] === ';' || rest[0] === ' ') {
      rest = rest.slice(1);
      continue;
    }
    const upper = rest.toUpperCase();
    const extended = EXTENDED.exec(upper);
    if (extended) {
      const name = extended[0];
      let tail = rest.slice(name.length);
      let form: AtCommandForm = 'exec';
      let args = '';
      if (tail.startsWith('=?')) {
        form = 'test';
        tail = tail.slice(2);
      } else if (tail.startsWith('?')) {
        form = 'read';
        tail = tail.slice(1);
      } else if (tail.startsWith('=')) {
        form = 'set';
        const end = endOfArgs(tail.slice(1));
        args = tail.slice(1, 1 + end);
        tail = tail.slice(1 + end);
      }
      commands.push({ name, form, args });
      rest = tail;
      continue;
    }
    const register = S_REGISTER.exec(upper);
    if (register) {
      commands.push({ name: `S${register[1]}`, form: register[2] === '?' ? 'read' : 'set', args: register[2].replace(/^[=?]/, '') });
      rest = rest.slice(register[0].length);
      continue;
    }
    const basic = BASIC.exec(upper);
    if (!basic) return undefined;
    commands.push({ name: basic[1], form: 'exec', args: basic[2] });
    rest = rest.slice(basic[0].length);
  }
  return commands;
}

/** Where a set command's arguments end: at the first ';' outside quotes. */
function endOfArgs(text: string): number {
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '"') quoted = !quoted;
    else if (text[i] === ';' && !quoted) return i;
  }
  return text.length;
}
