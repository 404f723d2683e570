import { createHash } from 'crypto';
import { SmppServer } from '../transport/smpp/server/smpp-server';
import type { SmppServerOptions } from '../transport/smpp/server/smpp-server';
import { SharedResourcePool, processWide } from '../process-wide/shared-resource-pool';
import { observeSmppServer } from '../observability/server-observer';
import type { Lease } from '../process-wide/shared-resource-pool';

/**
 * Listening ports of the SMS Trigger's SMPP server mode, one per host:port per process, shared
 * by every trigger that listens there (an active workflow and a "listen for test event" run of
 * the same trigger share the port instead of failing with EADDRINUSE). The first opener's
 * limits apply; TLS settings must agree, since one port speaks one protocol.
 */
interface ListenerRegistry {
  pool: SharedResourcePool<SmppServer>;
  /** Takes a server off the status board (see src/observability). */
  unobserve: Map<SmppServer, () => void>;
  /** host:actualPort -> pool key, for servers opened on port 0 (tests) and found again by their real port. */
  aliases: Map<string, string>;
  tlsFingerprints: Map<SmppServer, string>;
  /** Pool key of each open server, to drop its alias when it closes. */
  keys: Map<SmppServer, string>;
  serial: number;
}

function tlsFingerprint(options: SmppServerOptions): string {
  if (!options.tls) return 'plain';
  return createHash('sha256').update(options.tls.cert).update('\u0000').update(options.tls.key).digest('hex');
}

function normalisedHost(host: string | undefined): string {
  return (host ?? '0.0.0.0').trim() || '0.0.0.0';
}

function registry(): ListenerRegistry {
  return processWide('smppListenerRegistry', () => {
    const state: ListenerRegistry = {
      aliases: new Map(),
      tlsFingerprints: new Map(),
      keys: new Map(),
      unobserve: new Map(),
      serial: 0,
      pool: null as unknown as SharedResourcePool<SmppServer>,
    };
    const graceMs = Number(process.env.SMS_GATEWAY_LISTENER_IDLE_CLOSE_MS ?? 2_000);
    state.pool = new SharedResourcePool<SmppServer>(async (server) => {
      const key = state.keys.get(server);
      for (const [alias, target] of state.aliases) if (target === key) state.aliases.delete(alias);
      state.keys.delete(server);
      state.tlsFingerprints.delete(server);
      state.unobserve.get(server)?.();
      state.unobserve.delete(server);
      await server.close();
    }, graceMs);
    return state;
  });
}

function keyFor(state: ListenerRegistry, options: SmppServerOptions): string {
  const host = normalisedHost(options.host);
  if (options.port === 0) return `${host}:0#${++state.serial}`; // port 0 is never shared: each opener gets a fresh port
  return state.aliases.get(`${host}:${options.port}`) ?? `${host}:${options.port}`;
}

async function openServer(state: ListenerRegistry, options: SmppServerOptions, key: string): Promise<SmppServer> {
  const server = new SmppServer({ ...options, host: normalisedHost(options.host) });
  try {
    await server.start();
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE') throw new Error(`Port ${options.port} on ${normalisedHost(options.host)} is already in use by another program`);
    if (e.code === 'EACCES') throw new Error(`No permission to listen on port ${options.port} (ports below 1024 need extra rights)`);
    throw err;
  }
  state.unobserve.set(server, observeSmppServer(server, `SMPP server :${server.port}`));
  state.tlsFingerprints.set(server, tlsFingerprint(options));
  state.keys.set(server, key);
  if (options.port === 0) state.aliases.set(`${normalisedHost(options.host)}:${server.port}`, key);
  return server;
}

/** A lease on the SMPP server listening on options.host:port, started on first use; release() when done. */
export async function acquireSmppServer(options: SmppServerOptions): Promise<Lease<SmppServer>> {
  const state = registry();
  const key = keyFor(state, options);
  const lease = await state.pool.acquire(key, () => openServer(state, options, key));
  if (state.tlsFingerprints.get(lease.resource) !== tlsFingerprint(options)) {
    await lease.release();
    throw new Error(
      `Port ${options.port} is already used by another SMS Trigger with different TLS settings (one port speaks one protocol): use the same credential or another port`,
    );
  }
  return lease;
}

/** Triggers holding the listener on host:port now (for tests and metrics). */
export function smppServerUsers(host: string, port: number): number {
  const state = registry();
  const h = normalisedHost(host);
  return state.pool.users(state.aliases.get(`${h}:${port}`) ?? `${h}:${port}`);
}

export async function closeAllSmppServers(): Promise<void> {
  const state = registry();
  await state.pool.closeAll();
  state.aliases.clear();
}
