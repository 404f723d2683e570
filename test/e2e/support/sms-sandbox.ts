// The sandbox SMSC as the e2e tests use it: in the test process on a free port, with one account
// per SMPP credential, and the phone numbers the tests send to.
import { SandboxSmsc } from '../../../src/sandbox/sandbox-smsc';
import type { SandboxAccount } from '../../../src/sandbox/types';
import type { StoredMessage } from '../../../src/sandbox/types';

export async function startE2eSandbox(accounts: SandboxAccount[]): Promise<SandboxSmsc> {
  const smsc = new SandboxSmsc({ port: 0, accounts });
  await smsc.start();
  return smsc;
}

/**
 * `count` distinct UK mobile numbers (+44 7911 nnnnnn, valid for libphonenumber up to 299,999: 300,000 and above are not), from `first`.
 * Tests that share one sandbox use different ranges so their messages never mix.
 */
export function ukMobiles(count: number, first = 0): string[] {
  if (first + count > 300_000) throw new Error(`ukMobiles: ${first}+${count} is beyond the 300,000 numbers of the range libphonenumber takes as valid`);
  return Array.from({ length: count }, (_, i) => `+447911${String(first + i).padStart(6, '0')}`);
}

/** The SMPP Carrier credential's data for a sandbox account. */
export function smppCredentialData(smsc: SandboxSmsc, account: SandboxAccount, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    host: '127.0.0.1',
    port: smsc.port,
    systemId: account.systemId,
    password: account.password,
    sourceAddress: 'E2ETEST',
    defaultCountry: 'GB',
    tps: 0,
    windowSize: 50,
    enquireLinkSeconds: 0,
    responseTimeoutSeconds: 5,
    ...extra,
  };
}

/** Messages the sandbox accepted for a number (mobile-terminated only, not injected MOs). */
export function messagesTo(smsc: SandboxSmsc, phone: string): StoredMessage[] {
  return smsc.store.list({ to: phone, direction: 'mt' });
}

/** How many messages each destination got (digits without +), mobile-terminated only. */
export function receivedPerDestination(smsc: SandboxSmsc): Map<string, number> {
  const counts = new Map<string, number>();
  for (const message of smsc.store.list({ direction: 'mt' })) counts.set(message.to, (counts.get(message.to) ?? 0) + 1);
  return counts;
}

/** Polls until check() holds; fails naming `what` after timeoutMs. */
export async function eventually(check: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Rejects naming `what` when the promise has not settled after timeoutMs (so a hang fails the test with a reason). */
export async function within<T>(promise: Promise<T>, what: string, timeoutMs = 30_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
