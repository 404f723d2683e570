import { createSecureContext } from 'tls';
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';
import type { ServerAccount } from '../../src/transport/smpp';
import { FieldError } from '../shared/errors/field-error';

/** A problem with a field of the smppServerApi credential. */
function serverField(field: string, message: string): FieldError {
  return new FieldError(field, message, { credential: 'smppServerApi' });
}

export interface SmppServerCredentialSettings {
  account: ServerAccount;
  tls?: { key: string; cert: string };
}

function wholeNumber(data: ICredentialDataDecryptedObject, field: string, label: string, fallback: number, min: number, max: number): number {
  const raw = data[field];
  if (raw === undefined || raw === null || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max)
    throw serverField(field, `SMPP Server credential: ${label} must be a whole number from ${min} to ${max} (got "${String(raw)}")`);
  return value;
}

/** Reads and checks the SMPP Server Account credential; every problem names the field (never the password's value). */
export function readSmppServerCredential(data: ICredentialDataDecryptedObject): SmppServerCredentialSettings {
  const systemId = String(data.systemId ?? '');
  if (systemId === '') throw serverField('systemId', 'SMPP Server credential: System ID is empty');
  if (systemId.length > 15) throw serverField('systemId', `SMPP Server credential: System ID is ${systemId.length} characters; SMPP allows 15`);
  const password = String(data.password ?? '');
  if (password === '') throw serverField('password', 'SMPP Server credential: Password is empty (an open port without a password is not allowed)');
  // A lockout of 0 minutes (or thousands of tries) would silently turn the protection off: refused.
  const maxFailures = wholeNumber(data, 'maxFailedBinds', 'Lock Out After Failed Binds', 10, 1, 1000);
  const lockoutMinutes = wholeNumber(data, 'lockoutMinutes', 'Lockout (Minutes)', 5, 1, 1440);
  const settings: SmppServerCredentialSettings = {
    account: { systemId, password, lockout: { maxFailures, lockoutMs: lockoutMinutes * 60_000 } },
  };
  if (data.tls === true) {
    const key = String(data.tlsKey ?? '').trim();
    const cert = String(data.tlsCert ?? '').trim();
    if (!key.includes('PRIVATE KEY-----'))
      throw serverField('tlsKey', 'SMPP Server credential: TLS Private Key is not a PEM private key (it should start with -----BEGIN ... PRIVATE KEY-----)');
    if (!cert.includes('-----BEGIN CERTIFICATE-----'))
      throw serverField('tlsCert', 'SMPP Server credential: TLS Certificate is not a PEM certificate (it should start with -----BEGIN CERTIFICATE-----)');
    try {
      createSecureContext({ key, cert });
    } catch (err) {
      // The library's message names the problem (e.g. key values mismatch), never the key itself.
      const reason = (err as Error & { reason?: string }).reason ?? (err as Error).message; // OpenSSL's words, without its error code
      // A reader of plain credential data, shared by the trigger (which turns FieldError into a
      // NodeOperationError) and the credential test (which shows its message).
      throw serverField('tlsKey', `SMPP Server credential: the TLS key and certificate cannot be used together: ${reason}`);
    }
    settings.tls = { key, cert };
  }
  return settings;
}
