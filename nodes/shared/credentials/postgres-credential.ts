import type { ICredentialDataDecryptedObject } from 'n8n-workflow';
import { checkPostgresSettings } from '../../../src/broadcast';
import type { PostgresSettings } from '../../../src/broadcast';

/** The SMS Gateway PostgreSQL credential's type name. */
export const POSTGRES_CREDENTIAL = 'smsGatewayPostgresApi';

/** The credential's fields as connection settings, checked (an empty host or a bad port is a field error). */
export function readPostgresCredential(data: ICredentialDataDecryptedObject): PostgresSettings {
  const ssl = String(data.ssl ?? 'disable');
  return checkPostgresSettings({
    host: String(data.host ?? '').trim(),
    port: Number(data.port ?? 5432),
    database: String(data.database ?? '').trim(),
    user: String(data.user ?? '').trim(),
    password: data.password === undefined || data.password === null ? undefined : String(data.password),
    ssl: ssl === 'require' || ssl === 'verify' ? ssl : 'disable',
  });
}
