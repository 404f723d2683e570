import type { ICredentialDataDecryptedObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import {
  MemoryBroadcastIdStore,
  RedisBroadcastIdStore,
  CellBroadcastClient,
  SMPP_5_0,
  asUnsupportedBind,
  CellBroadcastUnsupportedError,
} from '../../src/cellbroadcast';
import type { BroadcastIdStore } from '../../src/cellbroadcast';
import { acquireSmppTransport } from '../../src/registry';
import { processWide } from '../../src/process-wide';
import { readSmppCredential } from '../shared/credentials/smpp-credential';
import { redisFor } from '../shared/state/state-stores';
import { nodeCredential } from '../shared/credentials/node-credential';
import { FieldError } from '../shared/errors/field-error';

export interface CellBroadcastSession {
  client: CellBroadcastClient;
  release(): Promise<void>;
}

/**
 * Borrows the process-wide SMPP 5.0 bind of this credential. broadcast_sm needs interface_version
 * 0x50 at bind, so this is a bind of its own next to the credential's SMPP 3.4 one (the registry
 * keys binds by version); it is shared by every cell broadcast run and closed when idle.
 */
export async function openCellBroadcast(data: ICredentialDataDecryptedObject): Promise<CellBroadcastSession> {
  const settings = readSmppCredential(data);
  const connection = {
    ...settings.connection,
    interfaceVersion: SMPP_5_0,
    tps: 0,
    binds: 1,
    maxBindsAcrossProcesses: 0,
    throttleRedis: undefined,
    label: `${settings.connection.label} (SMPP 5.0)`,
  };
  let lease;
  try {
    lease = await acquireSmppTransport(connection);
  } catch (err) {
    throw asUnsupportedBind(err);
  }
  const tonNpi =
    settings.sourceTonNpi ?? (/^\+?\d+$/.test(settings.sourceAddress) ? { ton: 1, npi: 1 } : settings.sourceAddress ? { ton: 5, npi: 0 } : { ton: 0, npi: 0 });
  const client = new CellBroadcastClient(lease.resource, { source: { addr: settings.sourceAddress.replace(/^\+/, ''), ...tonNpi } });
  return { client, release: lease.release };
}

/** The CAP identifier -> broadcast id store for the node's State Store setting. */
export async function broadcastIdStoreFor(ctx: IExecuteFunctions): Promise<BroadcastIdStore> {
  if (ctx.getNodeParameter('stateStore', 0, 'memory') !== 'redis') return processWide('memoryCellBroadcastIds', () => new MemoryBroadcastIdStore());
  const { redis, prefix } = await redisFor(ctx);
  return new RedisBroadcastIdStore(redis, `${prefix}cbs:cap:`);
}

export const UNSUPPORTED_HELP =
  "The carrier's SMPP server speaks only SMPP 3.4. Cell broadcast needs an SMPP 5.0 account, often a separate cell broadcast centre (CBC) endpoint: ask the carrier.";

/** Runs `use` on the credential's SMPP 5.0 session, released after; a carrier without SMPP 5.0 said in words. */
export async function withSession<T>(ctx: IExecuteFunctions, use: (session: CellBroadcastSession) => Promise<T>): Promise<T> {
  let session: CellBroadcastSession;
  try {
    session = await openCellBroadcast(await nodeCredential(ctx, 'smppApi'));
  } catch (err) {
    if (err instanceof CellBroadcastUnsupportedError) throw new NodeOperationError(ctx.getNode(), err.message, { description: UNSUPPORTED_HELP });
    // A bad credential value goes on as it is: the node's toNodeError names the field.
    // eslint-disable-next-line @n8n/community-nodes/require-node-api-error
    if (err instanceof FieldError) throw err;
    throw new NodeOperationError(ctx.getNode(), `Cannot connect to the SMPP carrier for cell broadcast: ${(err as Error).message}`, {
      description: 'Check the SMPP Carrier credential',
    });
  }
  try {
    return await use(session);
  } catch (err) {
    if (err instanceof CellBroadcastUnsupportedError) throw new NodeOperationError(ctx.getNode(), err.message, { description: UNSUPPORTED_HELP });
    // The caller's errors stay as they are: sendCellBroadcast still maps BroadcastInputError to
    // the parameter; the node's toNodeError turns them into n8n's.
    // eslint-disable-next-line @n8n/community-nodes/require-node-api-error
    throw err;
  } finally {
    await session.release();
  }
}
