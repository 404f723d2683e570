import { EventEmitter } from 'events';
import * as net from 'net';
import { hostname } from 'os';
import * as tls from 'tls';
import { Status } from '../command-status';
import type { MessagePdu } from '../pdu/message-pdu';
import { SmppSocket } from '../smpp-socket';
import { BindAuthenticator, accountKey } from './bind-authenticator';
import type { ServerAccount } from './bind-authenticator';
import { BindHistory } from './bind-history';
import { BindLockout, DEFAULT_LOCKOUT } from './bind-lockout';
import type { LockoutPolicy } from './bind-lockout';
import { ConnectionGate } from './connection-gate';
import { MessageIdSource } from './message-id-source';
import { peerKey } from './peer-address';
import { ReceiptOutbox } from './receipt-outbox';
import type { ClientReceiptOutcome, ClientReceiptRequest } from './client-receipt';
import { SmppServerSession } from './server-session';
import type { ServerSessionHost } from './server-session';

export interface SmppServerOptions {
  /** Default '0.0.0.0'. */
  host?: string;
  /** 0 picks a free port (tests). */
  port: number;
  /** PEM key and certificate: the port speaks TLS. */
  tls?: { key: string; cert: string };
  /** Connections at once, counted from accept (TLS handshakes too); more are closed at once (default 50). */
  maxConnections?: number;
  /** Connections at once from one address (an IPv6 /64 counts as one), so one client cannot take every slot (default 10). */
  maxConnectionsPerAddress?: number;
  /** A TLS handshake not finished in this long is dropped (default 5 s). */
  tlsHandshakeTimeoutMs?: number;
  /** submit_sm in hand per connection before reading pauses (default 100). */
  maxOutstandingPerConnection?: number;
  /** Largest PDU accepted; a longer command_length gets generic_nack and a close (default 16 KiB). */
  maxPduLength?: number;
  /** Connections that do not bind within this long are closed (default 5 s). */
  bindTimeoutMs?: number;
  /** Bound connections with no PDU for this long are closed (default 5 min; 0 = never). */
  inactivityTimeoutMs?: number;
  /** Lockout for addresses whose binds name no account (accounts carry their own). */
  lockout?: LockoutPolicy;
  /** system_id in our bind_resp (default 'n8n'). */
  serverSystemId?: string;
  /** A receipt's deliver_sm unanswered this long counts as lost; the next try prefers another bind of the application (default 10 s). */
  deliverTimeoutMs?: number;
  /** How long a reported receipt waits for its application past the message's validity (default 24 h). */
  receiptHoldMs?: number;
  /** Clock for the lockout (tests inject one). */
  now?: () => number;
}

/** A trigger listening on the port: its account, and what to do with each submit_sm. */
export interface ServerSubscriber {
  account: ServerAccount;
  /**
   * Resolve once the message is handed on; a rejection answers ESME_RSYSERR so the application
   * retries. `messageId` is what our submit_sm_resp will give the application (and its receipts name).
   */
  onSubmit(pdu: MessagePdu, receivedAt: Date, systemId: string, messageId: string): Promise<void>;
}

export interface SmppServerEvents {
  bound: [info: { systemId: string; mode: string; remote: string }];
  bindRefused: [
    info: {
      systemId: string;
      remote: string;
      /** The client's address as the lockout keys it (no port). */ address: string;
      reason: 'locked' | 'wrong-credentials';
      lockedNow: boolean;
      knownSystemId: boolean;
    },
  ];
  /** A receipt for an application was let go undelivered (expired past its hold, refused, over the quota). */
  receiptDropped: [info: { systemId: string; messageId: string; reason: string }];
  error: [error: Error];
}

export interface SmppServerStats {
  connections: number;
  refusedConnections: number;
  /** Unbound connections closed at capacity to make room for a new one. */
  evictedConnections: number;
  binds: number;
  bindFailures: number;
  submits: number;
  /** Receipts for applications let go undelivered. */
  receiptsDropped: number;
}

/**
 * SMPP server mode: the SMS Trigger listens and the user's own applications bind to it as
 * ESMEs. Every submit_sm becomes a message for the subscribers of the account it bound with
 * (an active workflow and a "listen for test event" run share one port through
 * src/registry/listener-registry.ts). Receipts the workflow reports (see sendReceipt) go back to
 * the application that asked for them with registered_delivery, queued while it is not bound.
 */
export class SmppServer extends EventEmitter<SmppServerEvents> {
  private server: net.Server | null = null;
  private readonly sessions = new Set<SmppServerSession>();
  /** Each subscriber with its account key (hashed once). */
  private readonly subscribers = new Map<ServerSubscriber, string>();
  readonly authenticator: BindAuthenticator;
  private readonly gate: ConnectionGate;
  /** Addresses that bound, per account: their connections have priority for the slots. */
  private readonly history: BindHistory;
  private readonly ids = new MessageIdSource();
  /** Ids handed to triggers whose submit_sm_resp is not written yet: their receipts wait. */
  private readonly unanswered = new Set<string>();
  /** Ids of submits we refused (the application never learned them); bounded, oldest forgotten. */
  private readonly refused = new Set<string>();
  private readonly outbox: ReceiptOutbox;
  private sweepTimer: NodeJS.Timeout | null = null;
  /** Purges ended blocks and forgotten failures of the lockout, whether or not those addresses come back. */
  private lockoutTimer: NodeJS.Timeout | null = null;
  readonly stats: SmppServerStats = { connections: 0, refusedConnections: 0, evictedConnections: 0, binds: 0, bindFailures: 0, submits: 0, receiptsDropped: 0 };

  constructor(readonly options: SmppServerOptions) {
    super();
    this.outbox = new ReceiptOutbox(
      {
        targets: (systemId) => [...this.sessions].filter((s) => s.systemId === systemId && s.canReceive),
        stateOf: (messageId) => (this.unanswered.has(messageId) ? 'hold' : this.refused.has(messageId) ? 'drop' : 'ready'),
      },
      {
        holdMs: options.receiptHoldMs,
        onDropped: (error, request) => {
          this.stats.receiptsDropped++;
          this.emit('receiptDropped', { systemId: request.systemId, messageId: request.messageId, reason: error.message });
        },
      },
    );
    this.history = new BindHistory(options.now ?? Date.now);
    this.authenticator = new BindAuthenticator(new BindLockout(options.now ?? Date.now), options.lockout ?? DEFAULT_LOCKOUT, this.history);
    this.gate = new ConnectionGate({
      maxConnections: options.maxConnections ?? 50,
      maxPerAddress: options.maxConnectionsPerAddress ?? 10,
      isKnown: (address) => this.history.knows(address),
    });
    this.on('error', () => undefined);
  }

  async start(): Promise<void> {
    const tlsOptions = this.options.tls;
    // 'connection' is every accepted TCP socket, before any TLS handshake: admission happens there.
    const server = tlsOptions
      ? tls.createServer({ key: tlsOptions.key, cert: tlsOptions.cert, handshakeTimeout: this.options.tlsHandshakeTimeoutMs ?? 5000 })
      : net.createServer();
    server.on('connection', (raw: net.Socket) => {
      const admitted = this.gate.admit(raw);
      this.stats.evictedConnections = this.gate.evicted;
      if (!admitted) this.stats.refusedConnections++;
      else if (!tlsOptions) this.accept(raw);
    });
    if (tlsOptions) server.on('secureConnection', (socket: tls.TLSSocket) => this.accept(socket));
    // A failed or timed-out TLS handshake is the client's problem; keep listening. Node only reports
    // a handshake timeout (the connection stayed open, seen with Node 20): we close it.
    server.on('tlsClientError', (_err: Error, socket: tls.TLSSocket) => socket.destroy());
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host ?? '0.0.0.0', () => {
        server.removeListener('error', reject);
        resolve();
      });
    });
    server.on('error', (err) => this.emit('error', err));
    this.server = server;
    const inactivity = this.options.inactivityTimeoutMs ?? 300_000;
    if (inactivity > 0) {
      this.sweepTimer = setInterval(() => this.closeIdle(inactivity), Math.min(30_000, Math.max(50, Math.floor(inactivity / 4))));
      this.sweepTimer.unref();
    }
    this.lockoutTimer = setInterval(() => this.authenticator.lockout.sweep(), 60_000);
    this.lockoutTimer.unref();
  }

  /**
   * Which listener this is, across n8n instances sharing a Redis: the instance (SMS_GATEWAY_INSTANCE_ID,
   * else the host name), the address and the port. Receipts for applications are routed by it, so
   * the same system_id bound to another port or instance does not get them. Stable across restarts
   * of the instance, so receipts reported while it was down reach it when it is back.
   */
  get listenerId(): string {
    const instance = process.env.SMS_GATEWAY_INSTANCE_ID?.trim() || hostname();
    return `${instance}:${this.options.host ?? '0.0.0.0'}:${this.options.port === 0 ? this.port : this.options.port}`;
  }

  get port(): number {
    const address = this.server?.address();
    return typeof address === 'object' && address ? address.port : 0;
  }

  /** Bound connections that can still carry PDUs (one that is ending no longer counts). */
  get boundSessions(): number {
    return [...this.sessions].filter((s) => s.bind !== null && s.socket.isOpen).length;
  }

  /** Accepted connections open now (bound, binding or still in their TLS handshake). */
  get openConnections(): number {
    return this.gate.openConnections;
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  /** Adds a trigger; returns the function that removes it (and closes sessions no one listens for any more). */
  subscribe(subscriber: ServerSubscriber): () => void {
    const key = accountKey(subscriber.account);
    this.subscribers.set(subscriber, key);
    return () => {
      if (!this.subscribers.delete(subscriber)) return;
      if ([...this.subscribers.values()].includes(key)) return;
      for (const session of this.sessions) {
        if (session.accountKey === key) void session.close('no trigger listens for this account any more');
      }
    };
  }

  /**
   * Sends a delivery receipt to the application that submitted `request.messageId` (on any of its
   * receiving connections; queued until one is bound, up to the message's validity). Resolves once
   * the application acknowledged it; rejects when it expired or the application refused it for good.
   */
  sendReceipt(request: ClientReceiptRequest, outcome: ClientReceiptOutcome): Promise<void> {
    return this.outbox.send(request, outcome);
  }

  /** Receipts waiting for an application to bind (tests, metrics). */
  receiptsWaiting(systemId: string): number {
    return this.outbox.waiting(systemId);
  }

  async close(): Promise<void> {
    this.outbox.close();
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    if (this.lockoutTimer) clearInterval(this.lockoutTimer);
    this.sweepTimer = null;
    this.lockoutTimer = null;
    const server = this.server;
    this.server = null;
    const closed = server ? new Promise<void>((resolve) => server.close(() => resolve())) : Promise.resolve();
    await Promise.all([...this.sessions].map((s) => s.close('server closing', 500)));
    // Connections without a session yet (in their TLS handshake) would hold server.close() too.
    this.gate.destroyAll();
    await closed;
  }

  private accept(socket: net.Socket): void {
    if (socket.destroyed) return; // closed during its handshake
    this.stats.connections++;
    const session = new SmppServerSession(new SmppSocket(socket, { maxPduLength: this.options.maxPduLength ?? 16_384 }), this.sessionHost, {
      maxOutstanding: this.options.maxOutstandingPerConnection ?? 100,
      bindTimeoutMs: this.options.bindTimeoutMs ?? 5000,
      serverSystemId: this.options.serverSystemId ?? 'n8n',
      deliverTimeoutMs: this.options.deliverTimeoutMs,
    });
    this.sessions.add(session);
  }

  private remember(set: Set<string>, value: string): void {
    set.add(value);
    if (set.size > 10_000) set.delete(set.values().next().value as string);
  }

  private closeIdle(timeoutMs: number): void {
    const cutoff = Date.now() - timeoutMs;
    for (const session of this.sessions) {
      if (session.bind && session.socket.isOpen && session.lastActivityAt < cutoff && session.outstandingSubmits === 0)
        void session.close(`no PDU for ${timeoutMs} ms`);
    }
    this.outbox.flushAll(); // receipts past their validity are let go even if the application never binds
  }

  private readonly sessionHost: ServerSessionHost = {
    authenticate: (session, systemId, password, mode) => {
      // No trigger listens (the port is in its idle grace period, e.g. while a workflow is
      // re-activated): a temporary refusal that does not count towards the lockout.
      if (this.subscribers.size === 0) return Status.bindFailed;
      const accounts = [...this.subscribers.keys()].map((s) => s.account);
      const address = peerKey(session.socket.socket.remoteAddress);
      const verdict = this.authenticator.authenticate(accounts, systemId, password, address);
      if (verdict.status === 0 && 'account' in verdict) {
        session.accountKey = accountKey(verdict.account);
        this.gate.markBound(session.socket.socket);
        this.stats.binds++;
        this.emit('bound', { systemId, mode, remote: session.remoteAddress });
        return 0;
      }
      this.stats.bindFailures++;
      if ('reason' in verdict)
        this.emit('bindRefused', {
          systemId,
          remote: session.remoteAddress,
          address,
          reason: verdict.reason,
          lockedNow: verdict.lockedNow,
          knownSystemId: this.authenticator.isAccount(accounts, systemId),
        });
      return verdict.status;
    },
    onSubmit: async (session, pdu, receivedAt) => {
      this.stats.submits++;
      const targets = [...this.subscribers].filter(([, key]) => key === session.accountKey).map(([s]) => s);
      // No trigger for this account right now (it is being re-activated): a temporary error, so the application retries.
      if (targets.length === 0) return { status: Status.systemError };
      // The id exists before the workflow runs, so the workflow can report the message's receipt.
      const messageId = this.ids.next();
      this.unanswered.add(messageId);
      const results = await Promise.allSettled(targets.map((t) => t.onSubmit(pdu, receivedAt, session.systemId, messageId)));
      if (results.some((r) => r.status === 'rejected')) {
        this.unanswered.delete(messageId);
        this.remember(this.refused, messageId);
        return { status: Status.systemError };
      }
      return { status: 0, messageId };
    },
    onSubmitAnswered: (session, result) => {
      if (result.messageId === undefined || !this.unanswered.delete(result.messageId)) return;
      if (this.outbox.waiting(session.systemId) > 0) this.outbox.flush(session.systemId);
    },
    onBound: (session) => {
      if (session.canReceive) this.outbox.flush(session.systemId);
    },
    onClosed: (session) => {
      this.sessions.delete(session);
    },
  };
}
