import type { ITriggerFunctions, ITriggerResponse, NodeApiError } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { InboundPipeline } from '../../src/inbound';
import { observeNode } from '../shared/runtime/observe-node';
import type { SmppConnectionConfig } from '../../src/registry';
import { FieldError } from '../shared/errors/field-error';
import { triggerProperties } from './trigger-properties';
import { toNodeError } from '../shared/errors/node-error';
import { readSmppCredential } from '../shared/credentials/smpp-credential';
import { applicationReceiptsFor, optOutStoreFor, shareThroughStateStore } from '../shared/state/state-stores';
import { eventDelivery } from './event-delivery';
import { modemOptionsFromCredential } from '../../src/transport/modem';
import type { GsmModemOptions } from '../../src/transport/modem';
import { readSmppServerCredential } from './server-credential';
import type { SmppServerCredentialSettings } from './server-credential';
import { startCarrierSource } from './sources/carrier-source';
import type { SharedReceiptsFeed } from './sources/carrier-source';
import { randomUUID } from 'crypto';
import type { InboundSource, SourceStartOptions } from './sources/inbound-source';
import { startModemSource } from './sources/modem-source';
import { startServerSource } from './sources/server-source';
import type { ServerReceiptSettings } from './sources/server-source';
import { eventFilterFor, readTriggerSettings } from './trigger-settings';
import type { TriggerSettings } from './trigger-settings';
import { nodeCredential } from '../shared/credentials/node-credential';

type SourcePlan =
  | { kind: 'carrier'; connection: SmppConnectionConfig; defaultCountry?: string }
  | { kind: 'server'; credential: SmppServerCredentialSettings; receipts: ServerReceiptSettings }
  | { kind: 'modem'; modem: GsmModemOptions; defaultCountry?: string };

/** toNodeError with the trigger's panel: a bad setting names what to fix, anything else says the trigger could not start. */
export function triggerError(ctx: ITriggerFunctions, err: unknown, fieldAdvice?: (err: FieldError) => string): NodeOperationError | NodeApiError {
  return toNodeError(ctx.getNode(), err, { properties: triggerProperties, description: 'The SMS Gateway Trigger could not start', fieldAdvice });
}

async function planSource(ctx: ITriggerFunctions, settings: TriggerSettings): Promise<SourcePlan> {
  // Every source: its lines go to n8n's log and the metrics onto n8n's /metrics, also in a process that only triggers.
  observeNode(ctx);
  if (settings.source === 'server') {
    const credential = readSmppServerCredential(await nodeCredential(ctx, 'smppServerApi'));
    return { kind: 'server', credential, receipts: await applicationReceiptsFor(ctx) };
  }
  if (settings.source === 'modem') {
    let modem: GsmModemOptions & { defaultCountry?: string };
    const data = await nodeCredential(ctx, 'gsmModemApi');
    try {
      modem = modemOptionsFromCredential(data);
    } catch (err) {
      // The modem's credential reader throws plain errors: the credential as a whole is named
      // (the catch below hands it to triggerError).
      // eslint-disable-next-line @n8n/community-nodes/require-node-api-error
      throw new FieldError('', `GSM Modem credential: ${(err as Error).message}`, { credential: 'gsmModemApi' });
    }
    const { defaultCountry, ...modemOptions } = modem;
    return { kind: 'modem', modem: modemOptions, defaultCountry: settings.defaultCountry ?? defaultCountry };
  }
  const credential = readSmppCredential(await nodeCredential(ctx, 'smppApi'));
  observeNode(ctx, credential.connection);
  const bindMode = settings.bindMode === 'credential' ? credential.connection.bindMode : settings.bindMode;
  if (bindMode === 'transmitter') {
    throw new FieldError(
      'bindMode',
      'The SMPP credential binds as Transmitter (send only), which receives nothing: set Bind Mode to Transceiver in the credential, or "Receiver (Separate Bind)" in this node\'s options',
    );
  }
  const connection = { ...credential.connection, bindMode };
  // Receipts this bind takes in are shared with the workers waiting for them (State Store = Redis).
  await shareThroughStateStore(ctx, connection);
  return { kind: 'carrier', connection, defaultCountry: settings.defaultCountry ?? credential.defaultCountry };
}

function smscLabel(plan: SourcePlan): string {
  if (plan.kind === 'carrier') return plan.connection.label ?? `${plan.connection.systemId}@${plan.connection.host}:${plan.connection.port}`;
  if (plan.kind === 'modem') return `modem:${plan.modem.path}`;
  return plan.kind;
}

/**
 * With receipts shared through Redis ("Share via Redis" on the SMPP credential), receipt events come
 * from the shared feed: those every n8n process's bind received, each once per workflow (its own
 * consumer group, kept across restarts; a test listen gets a group of its own that goes with it).
 */
function sharedReceiptsFeed(ctx: ITriggerFunctions, plan: SourcePlan, settings: TriggerSettings, manual: boolean): SharedReceiptsFeed | undefined {
  if (plan.kind !== 'carrier' || !plan.connection.receipts?.redis || !settings.eventTypes.includes('receipt')) return undefined;
  return {
    group: manual ? `trigger-test:${randomUUID()}` : `trigger:${ctx.getWorkflow().id ?? 'unsaved'}:${ctx.getNode().id}`,
    temporary: manual,
    onError: (error) => ctx.logger.warn(`SMS Gateway Trigger: reading the shared delivery receipts: ${error.message}`),
  };
}

function startSource(
  ctx: ITriggerFunctions,
  plan: SourcePlan,
  settings: TriggerSettings,
  options: SourceStartOptions,
  feed: SharedReceiptsFeed | undefined,
): Promise<InboundSource> {
  switch (plan.kind) {
    case 'carrier':
      return startCarrierSource(plan.connection, options, feed, {
        reload: async () => {
          const again = await planSource(ctx, settings);
          return again.kind === 'carrier' ? again.connection : plan.connection;
        },
        everyMs: Number(process.env.SMS_GATEWAY_CREDENTIAL_RECHECK_MS ?? 60_000),
      });
    case 'server':
      return startServerSource(
        {
          host: settings.listen.host,
          port: settings.listen.port,
          tls: plan.credential.tls,
          maxConnections: settings.listen.maxConnections,
          maxConnectionsPerAddress: settings.listen.maxConnectionsPerAddress,
          bindTimeoutMs: settings.listen.bindTimeoutMs,
          tlsHandshakeTimeoutMs: settings.listen.tlsHandshakeTimeoutMs,
          maxOutstandingPerConnection: settings.listen.windowPerConnection,
        },
        plan.credential.account,
        options,
        plan.receipts,
      );
    case 'modem':
      return startModemSource(plan.modem, options);
  }
}

/**
 * The SMS Trigger's lifecycle: settings and credentials are checked at once (so activation fails
 * with a clear error); the source starts now when the workflow is active, or in
 * manualTriggerFunction for "listen for test event" (n8n installs its emit only then).
 */
export async function startInboundTrigger(ctx: ITriggerFunctions): Promise<ITriggerResponse> {
  let settings: TriggerSettings;
  let plan: SourcePlan;
  try {
    settings = readTriggerSettings(ctx);
    plan = await planSource(ctx, settings);
  } catch (err) {
    throw triggerError(ctx, err);
  }
  const defaultCountry = plan.kind === 'server' ? settings.defaultCountry : plan.defaultCountry;
  let filter;
  try {
    filter = eventFilterFor(settings, defaultCountry);
  } catch (err) {
    throw triggerError(ctx, err);
  }
  let optOutStore;
  try {
    optOutStore = settings.optOut && (plan.kind !== 'server' || settings.trustServerOptOut) ? await optOutStoreFor(ctx) : undefined;
  } catch (err) {
    throw triggerError(ctx, err, () => "The opt-out list's state store could not be opened");
  }
  const manual = ctx.getMode() === 'manual';
  const feed = sharedReceiptsFeed(ctx, plan, settings, manual);
  const pipeline = new InboundPipeline({
    smsc: smscLabel(plan),
    source: plan.kind,
    defaultCountry,
    filter,
    optOut: settings.optOut && optOutStore ? { ...settings.optOut, store: optOutStore, trustServerSubmits: settings.trustServerOptOut } : undefined,
    reassembly: { timeoutMs: settings.reassemblyTimeoutMs, maxPendingGroups: settings.maxPendingMessages },
    receiptsFrom: feed ? 'elsewhere' : 'pdus',
    receiptIdFormat: plan.kind === 'carrier' && plan.connection.receipts?.idFormat !== 'learn' ? plan.connection.receipts?.idFormat : undefined,
    deliver: eventDelivery(ctx, { acknowledge: settings.acknowledge, ackTimeoutMs: settings.ackTimeoutMs, manual }),
    onBackgroundError: (error) => ctx.logger.warn(`SMS Gateway Trigger: an incomplete long message could not be emitted: ${error.message}`),
  });

  let source: InboundSource | null = null;
  let starting: Promise<void> | null = null;
  let closed = false;
  const onFatal = (error: Error): void => {
    if (closed) return;
    ctx.emitError(
      new NodeOperationError(
        ctx.getNode(),
        `The SMS Gateway Trigger lost its ${plan.kind === 'server' ? 'SMPP server port' : plan.kind === 'modem' ? 'GSM modem' : 'SMPP connection'}: ${error.message}`,
        {
          description: 'n8n will reactivate the workflow and try again',
        },
      ),
    );
  };
  const start = (): Promise<void> => {
    starting ??= startSource(ctx, plan, settings, { pipeline, onFatal, onWarning: (message) => ctx.logger.warn(`SMS Gateway Trigger: ${message}`) }, feed).then(
      async (started) => {
        source = started;
        if (closed) await started.close(); // closed while connecting
      },
    );
    return starting;
  };
  const closeFunction = async (): Promise<void> => {
    closed = true;
    await starting?.catch(() => undefined);
    await (source as InboundSource | null)?.close();
    // Parts still waiting were acknowledged: they are emitted as incomplete (failures logged by onBackgroundError).
    pipeline.close();
  };

  if (!manual) {
    try {
      await start();
    } catch (err) {
      pipeline.close();
      throw triggerError(ctx, err);
    }
  }
  return { closeFunction, manualTriggerFunction: start };
}
