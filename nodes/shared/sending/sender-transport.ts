/**
 * The Transport choice of the sending nodes (Send SMS, Bulk Alert Broadcast, OTP Issue): an SMPP
 * carrier, a GSM modem, or SMPP with the modem as failover. The parameter, the From field's
 * wording per transport, and reading the chosen credentials. The credentials each transport needs
 * (SMPP Carrier for smpp and failover, GSM Modem for modem and failover) are listed in each node's
 * description, where n8n's lint reads them: one entry per credential name, as n8n reads only the
 * first entry of a name.
 */
import type { ICredentialDataDecryptedObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { MODEM_SENDER } from '../../../src/gateway';
import type { SenderDefaults } from '../../../src/gateway';
import { modemOptionsFromCredential } from '../../../src/transport/modem';
import type { GsmModemOptions } from '../../../src/transport/modem';
import { observeNode } from '../runtime/observe-node';
import { shareThroughStateStore } from '../state/state-stores';
import { readSmppCredential } from '../credentials/smpp-credential';
import type { SmppCredentialSettings } from '../credentials/smpp-credential';
import { nodeCredential } from '../credentials/node-credential';

export type TransportChoice = 'smpp' | 'modem' | 'failover';

const TRANSPORTS: readonly TransportChoice[] = ['smpp', 'modem', 'failover'];
const WITH_SMPP: TransportChoice[] = ['smpp', 'failover'];

/** Conditions of the node's own (e.g. OTP Issue's operation) that also decide whether the From fields show. */
type ShowConditions = Record<string, string[]>;

export const transportProperty: INodeProperties = {
  displayName: 'Transport',
  name: 'transport',
  type: 'options',
  noDataExpression: true,
  default: 'smpp',
  options: [
    { name: 'GSM Modem', value: 'modem', description: 'A modem with a SIM card on the n8n machine' },
    { name: 'SMPP Carrier', value: 'smpp', description: "Your carrier's SMSC over SMPP 3.4" },
    {
      name: 'SMPP with Modem Failover',
      value: 'failover',
      description: 'By SMPP; a message the carrier cannot take after its retries (link down, temporary errors) goes by modem',
    },
  ],
};

/**
 * The From field in the wording of each transport (two fields of one name, one shown at a time,
 * so a value typed for SMPP stays when switching to failover and back).
 */
export function fromProperties(show: ShowConditions = {}, placeholder = 'MyCompany'): INodeProperties[] {
  return [
    {
      displayName: 'From',
      name: 'from',
      type: 'string',
      default: '',
      placeholder,
      description:
        "Sender ID (at most 11 letters and digits), short code or phone number. With failover, messages sent by the modem come from its SIM's number.",
      hint: 'Empty: the Default Sender of the SMPP Carrier credential',
      displayOptions: { show: { ...show, transport: WITH_SMPP } },
    },
    {
      displayName: 'From',
      name: 'from',
      type: 'string',
      default: '',
      description: 'Ignored: a GSM modem always sends from its SIM card\'s own number (no sender ID). Results say "SIM".',
      hint: "A GSM modem sends from its SIM card's number",
      displayOptions: { show: { ...show, transport: ['modem'] } },
    },
  ];
}

export interface SenderPlan {
  transport: TransportChoice;
  /** The SMPP Carrier credential (SMPP and failover). */
  smpp?: { data: ICredentialDataDecryptedObject; settings: SmppCredentialSettings };
  /** The modem's options from the GSM Modem credential (modem and failover). */
  modem?: GsmModemOptions;
  /** Sender and default country for preparing messages. */
  defaults: SenderDefaults;
  /** Messages per second of the SMPP credential (0: no limit or no SMPP). */
  tps: number;
}

export function readTransport(ctx: IExecuteFunctions): TransportChoice {
  const value = ctx.getNodeParameter('transport', 0, 'smpp') as string;
  if (!TRANSPORTS.includes(value as TransportChoice)) {
    throw new NodeOperationError(ctx.getNode(), `Unknown Transport "${value}"`, { description: 'Choose SMPP Carrier, GSM Modem or SMPP with Modem Failover' });
  }
  return value as TransportChoice;
}

/** The From a node should use: a modem has none, so whatever the field holds is not even checked. */
export function fromFor(plan: SenderPlan, value: unknown): string {
  return plan.transport === 'modem' ? '' : String(value ?? '');
}

function modemSettings(ctx: IExecuteFunctions, data: ICredentialDataDecryptedObject): GsmModemOptions {
  try {
    return modemOptionsFromCredential(data);
  } catch (err) {
    throw new NodeOperationError(ctx.getNode(), `GSM Modem credential: ${(err as Error).message}`, { description: 'Check the GSM Modem credential' });
  }
}

/** Reads the transport and its credentials; a bad credential value stops the node naming the field. */
export async function readSenderPlan(ctx: IExecuteFunctions): Promise<SenderPlan> {
  const transport = readTransport(ctx);
  const plan: SenderPlan = { transport, defaults: {}, tps: 0 };
  if (transport !== 'modem') {
    const data = await nodeCredential(ctx, 'smppApi');
    const settings = readSmppCredential(data);
    observeNode(ctx, settings.connection);
    plan.smpp = { data, settings };
    await shareThroughStateStore(ctx, settings.connection);
    plan.tps = settings.connection.tps ?? 0;
    plan.defaults = { from: settings.sourceAddress, defaultCountry: settings.defaultCountry, sourceTonNpi: settings.sourceTonNpi, tlvs: settings.tlvs };
  }
  if (transport !== 'smpp') {
    plan.modem = modemSettings(ctx, await nodeCredential(ctx, 'gsmModemApi'));
    plan.defaults.defaultCountry ??= plan.modem.defaultCountry;
  }
  if (transport === 'modem') plan.defaults.from = MODEM_SENDER;
  return plan;
}
