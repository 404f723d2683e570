import { createHash, timingSafeEqual } from 'crypto';
import { Status } from '../command-status';
import { BindHistory } from './bind-history';
import { BindLockout, DEFAULT_LOCKOUT } from './bind-lockout';
import type { LockoutPolicy, LockReason } from './bind-lockout';

/** A system_id/password pair an application (ESME) may bind with. */
export interface ServerAccount {
  systemId: string;
  password: string;
  /** Lockout for addresses that fail to bind as this system_id; the server's default when absent. */
  lockout?: LockoutPolicy;
}

export type BindVerdict =
  | { status: 0; account: ServerAccount }
  | { status: number; reason: 'locked' | 'wrong-credentials'; lockedNow: boolean; lock?: LockReason };

/** SMPP 3.4's system_id: a C-Octet String of at most 16 octets, its NUL included. */
export const MAX_SYSTEM_ID_LENGTH = 15;

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** Compares in constant time over fixed-length hashes, so neither length nor content leaks. */
function sameSecret(a: Buffer, b: Buffer): boolean {
  return timingSafeEqual(a, b);
}

/** A stable key for an account, without keeping the password in clear. */
export function accountKey(account: Pick<ServerAccount, 'systemId' | 'password'>): string {
  return createHash('sha256').update(`${account.systemId}\u0000${account.password}`, 'utf8').digest('hex');
}

/**
 * Checks bind credentials against the accounts of the triggers listening on a port. Every
 * account is compared (no early exit) and wrong system_id and wrong password get the same
 * answer (ESME_RINVPASWD), so a client learns nothing about which system_ids exist. Failures
 * count against the client's address, per account and in all, and against the account (see
 * BindLockout): a blocked address gets ESME_RBINDFAIL, even with the right password, until its
 * block ends; other addresses bind as usual, and so do addresses that bound as the account
 * before (`history`) while only the account is guarded.
 */
export class BindAuthenticator {
  constructor(
    readonly lockout: BindLockout,
    private readonly defaultPolicy: LockoutPolicy = DEFAULT_LOCKOUT,
    readonly history: BindHistory = new BindHistory(),
  ) {}

  /**
   * Whether `systemId` is an account's, for the refusal's log line (one that is not may be a
   * password typed into the wrong field). Compares every account's digest, like authenticate.
   */
  isAccount(accounts: readonly ServerAccount[], systemId: string): boolean {
    const idHash = digest(systemId);
    let found = false;
    for (const account of accounts) if (sameSecret(idHash, digest(account.systemId))) found = true;
    return found;
  }

  /** `address`: the client's key from peerKey(). */
  authenticate(accounts: readonly ServerAccount[], systemId: string, password: string, address: string): BindVerdict {
    const idHash = digest(systemId);
    const passwordHash = digest(password);
    let match: ServerAccount | undefined;
    let policy: LockoutPolicy | undefined;
    let isAccount = false;
    for (const account of accounts) {
      const idOk = sameSecret(idHash, digest(account.systemId));
      const passwordOk = sameSecret(passwordHash, digest(account.password));
      if (idOk) {
        isAccount = true;
        policy ??= account.lockout;
      }
      if (idOk && passwordOk) match ??= account;
    }
    const lock = this.lockout.blockedFor(address, systemId, this.history.knows(address, systemId));
    if (lock) return { status: Status.bindFailed, reason: 'locked', lockedNow: false, lock };
    if (match) {
      this.lockout.recordSuccess(address, systemId);
      this.history.remember(address, systemId);
      return { status: 0, account: match };
    }
    const lockedNow = this.lockout.recordFailure(address, systemId, policy ?? this.defaultPolicy, isAccount);
    // No account's system_id is that long (the credential allows 15), so saying so tells nothing.
    const status = systemId.length > MAX_SYSTEM_ID_LENGTH ? Status.invalidSystemId : Status.invalidPassword;
    return { status, reason: 'wrong-credentials', lockedNow };
  }
}
