/**
 * The `smpp` library's client (what a user's application would use) wrapped in promises, for
 * tests of the SMS Trigger's SMPP server mode.
 */
import * as smpp from 'smpp';

type Call = (fields: Record<string, unknown>, callback: (pdu: smpp.PDU) => void) => void;

export interface LibraryClient {
  session: smpp.Session;
  bind(mode: 'transceiver' | 'transmitter' | 'receiver', systemId: string, password: string): Promise<number>;
  submit(fields: Record<string, unknown>): Promise<smpp.PDU>;
  closed: Promise<void>;
  close(): Promise<void>;
}

export async function connectLibraryClient(port: number, options: { tls?: boolean; ca?: string } = {}): Promise<LibraryClient> {
  const session = smpp.connect({
    host: '127.0.0.1',
    port,
    tls: options.tls,
    ca: options.ca,
    rejectUnauthorized: options.ca === undefined ? false : true,
    auto_enquire_link_period: 0,
  });
  session.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => session.on('close', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    session.once(options.tls ? 'secureConnect' : 'connect', () => resolve());
    session.once('error', reject);
  });
  const call = (command: string, fields: Record<string, unknown>): Promise<smpp.PDU> =>
    new Promise((resolve) => (session[command] as Call).call(session, fields, resolve));
  return {
    session,
    closed,
    bind: async (mode, systemId, password) => (await call(`bind_${mode}`, { system_id: systemId, password })).command_status,
    submit: (fields) => call('submit_sm', fields),
    close: async () => {
      session.destroy();
      await closed;
    },
  };
}

/** One bind attempt on a fresh connection; resolves with the bind_resp status. */
export async function bindOnce(port: number, systemId: string, password: string): Promise<number> {
  const client = await connectLibraryClient(port);
  try {
    return await client.bind('transceiver', systemId, password);
  } finally {
    await client.close();
  }
}
