import type { ICredentialDataDecryptedObject } from 'n8n-workflow';
import type { SmppConnectionConfig } from '../../../src/registry';
import type { BindMode } from '../../../src/transport/smpp';
import { ID_FORMAT_SETTINGS } from '../../../src/dlr';
import type { IdFormatSetting } from '../../../src/dlr';
import { FieldError } from '../errors/field-error';
import { readCustomTlvs } from '../sending/read-message-options';
import type { EncodedTlv } from '../../../src/tlv';
import { parseSenderTps } from '../../../src/gateway';

/** Binds one process may open per credential: beyond this a typo (100 for 10) would flood the carrier with bind attempts. */
const MAX_BINDS = 32;

/** A problem with a field of the smppApi credential. */
function smppField(field: string, message: string): FieldError {
  return new FieldError(field, message, { credential: 'smppApi' });
}

export interface SmppCredentialSettings {
  connection: SmppConnectionConfig;
  sourceAddress: string;
  sourceTonNpi?: { ton: number; npi: number };
  defaultCountry?: string;
  /** Custom TLVs sent with every submit of this account. */
  tlvs?: EncodedTlv[];
  /** TPS per sender ID, within the account's (empty: none). */
  senderTps: Map<string, number>;
}

function num(data: ICredentialDataDecryptedObject, field: string, fallback: number): number {
  const raw = data[field];
  if (raw === undefined || raw === null || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw smppField(field, `SMPP credential: "${field}" must be a number (got "${String(raw)}")`);
  return value;
}

/** Reads and checks the SMPP Carrier credential; every problem names the field. */
export function readSmppCredential(data: ICredentialDataDecryptedObject): SmppCredentialSettings {
  const host = String(data.host ?? '').trim();
  if (!host) throw smppField('host', 'SMPP credential: Host is empty');
  const port = num(data, 'port', 2775);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw smppField('port', `SMPP credential: Port must be 1-65535 (got ${port})`);
  const systemId = String(data.systemId ?? '');
  if (!systemId) throw smppField('systemId', 'SMPP credential: System ID is empty');
  if (systemId.length > 15) throw smppField('systemId', `SMPP credential: System ID is ${systemId.length} characters; SMPP allows 15`);
  const password = String(data.password ?? '');
  if (password.length > 8) {
    // SMPP 3.4 limits the password to 8 octets; many carriers accept longer, so we only warn in the docs.
  }
  const tps = num(data, 'tps', 0);
  if (tps < 0) throw smppField('tps', `SMPP credential: Messages per Second must be 0 (no limit) or more (got ${tps})`);
  // The cap counts whole submits per second: 2.5 would silently be 2, and 0.5 would be 1.
  if (!Number.isInteger(tps)) throw smppField('tps', `SMPP credential: Messages per Second must be a whole number, 0 (no limit) or 1 or more (got ${tps})`);
  const windowSize = num(data, 'windowSize', 10);
  if (!Number.isInteger(windowSize) || windowSize < 1)
    throw smppField('windowSize', `SMPP credential: Window Size must be a whole number of at least 1 (got ${windowSize})`);
  const binds = num(data, 'binds', 1);
  if (!Number.isInteger(binds) || binds < 1 || binds > MAX_BINDS)
    throw smppField('binds', `SMPP credential: Binds must be a whole number from 1 to ${MAX_BINDS} (got ${binds})`);
  const maxBindsAcrossProcesses = num(data, 'maxBindsAcrossProcesses', 0);
  if (!Number.isInteger(maxBindsAcrossProcesses) || maxBindsAcrossProcesses < 0)
    throw smppField(
      'maxBindsAcrossProcesses',
      `SMPP credential: Max Binds Across Processes must be a whole number, 0 (no cap) or more (got ${maxBindsAcrossProcesses})`,
    );
  const enquireLinkSeconds = num(data, 'enquireLinkSeconds', 30);
  if (enquireLinkSeconds < 0) throw smppField('enquireLinkSeconds', `SMPP credential: Enquire Link Interval must be 0 or more (got ${enquireLinkSeconds})`);
  const responseTimeoutSeconds = num(data, 'responseTimeoutSeconds', 10);
  if (!(responseTimeoutSeconds > 0))
    throw smppField('responseTimeoutSeconds', `SMPP credential: Response Timeout must be more than 0 (got ${responseTimeoutSeconds})`);
  const bindMode = String(data.bindMode ?? 'transceiver') as BindMode;
  if (!['transceiver', 'transmitter', 'receiver'].includes(bindMode)) throw smppField('bindMode', `SMPP credential: unknown Bind Mode "${bindMode}"`);
  const tonNpi = String(data.sourceTonNpi ?? 'auto');
  const sourceTonNpi = /^\d\/\d$/.test(tonNpi) ? { ton: Number(tonNpi[0]), npi: Number(tonNpi[2]) } : undefined;
  const connection: SmppConnectionConfig = {
    host,
    port,
    systemId,
    password,
    tls: data.tls === true,
    allowSelfSigned: data.allowSelfSigned === true,
    checkHostname: data.checkHostname !== false,
    systemType: String(data.systemType ?? ''),
    bindMode,
    windowSize,
    binds,
    maxBindsAcrossProcesses,
    enquireLinkMs: enquireLinkSeconds * 1000,
    responseTimeoutMs: responseTimeoutSeconds * 1000,
    // The same bound for connect + bind: a server that accepts and never answers fails as fast as a lost answer.
    connectTimeoutMs: responseTimeoutSeconds * 1000,
    tps,
    label: `${systemId}@${host}:${port}`,
  };
  const idFormat = String(data.receiptIdFormat ?? 'same') as IdFormatSetting;
  if (!ID_FORMAT_SETTINGS.includes(idFormat))
    throw smppField('receiptIdFormat', `SMPP credential: Message IDs in Receipts must be one of ${ID_FORMAT_SETTINGS.join(', ')} (got "${idFormat}")`);
  connection.receipts = { idFormat };
  // Credentials saved before the Redis settings moved to the SMS Gateway Redis credential (see
  // shareThroughStateStore in sending/sender-transport.ts) keep sharing their TPS budget and receipts the way
  // they were set up.
  if (data.useRedis === true) {
    connection.throttleRedis = {
      host: String(data.redisHost || '127.0.0.1'),
      port: num(data, 'redisPort', 6379),
      password: data.redisPassword ? String(data.redisPassword) : undefined,
      db: num(data, 'redisDb', 0),
      source: 'Redis Host and Redis Port saved in the SMPP Carrier credential',
    };
    // The same Redis shares delivery receipts between n8n processes.
    connection.receipts.redis = connection.throttleRedis;
  }
  const tlvs = readCustomTlvs(data.customTlvs, 'customTlvs', 'smppApi');
  let senderTps: Map<string, number>;
  try {
    senderTps = parseSenderTps(String(data.senderTps ?? ''), tps);
  } catch (err) {
    throw smppField('senderTps', `SMPP credential: TPS per Sender ID: ${(err as Error).message}`);
  }
  return {
    connection,
    sourceAddress: String(data.sourceAddress ?? ''),
    sourceTonNpi,
    defaultCountry: String(data.defaultCountry ?? '') || undefined,
    tlvs,
    senderTps,
  };
}
