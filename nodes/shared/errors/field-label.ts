/**
 * Where a bad value is, in the words of the n8n panel: the label the user sees, not the internal
 * parameter name ("Check "To" of item 0", "Check "Encoding" in Options", "Check "Host" in the
 * SMPP Carrier credential").
 */
import type { ICredentialType, INode, INodeProperties, INodePropertyCollection } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';
import { GsmModemApi } from '../../../credentials/GsmModemApi.credentials';
import { SmppApi } from '../../../credentials/SmppApi.credentials';
import { SmppServerApi } from '../../../credentials/SmppServerApi.credentials';
import { SmsGatewayPostgresApi } from '../../../credentials/SmsGatewayPostgresApi.credentials';
import { SmsGatewayRedisApi } from '../../../credentials/SmsGatewayRedisApi.credentials';
import { SmsOtpApi } from '../../../credentials/SmsOtpApi.credentials';
import type { FieldError } from './field-error';

const CREDENTIALS: Record<string, ICredentialType> = Object.fromEntries(
  [new SmppApi(), new GsmModemApi(), new SmppServerApi(), new SmsGatewayRedisApi(), new SmsOtpApi(), new SmsGatewayPostgresApi()].map((type) => [
    type.name,
    type,
  ]),
);

function isProperty(entry: unknown): entry is INodeProperties {
  return typeof entry === 'object' && entry !== null && 'displayName' in entry && 'type' in entry;
}

/**
 * The parameters the panel shows for this node: a name can have several definitions (one per
 * resource, operation or version), each with its own label.
 */
function shownFor(properties: readonly INodeProperties[], node: INode | undefined): INodeProperties[] {
  if (!node) return [...properties];
  const values = NodeHelpers.getNodeParameters([...properties], node.parameters, true, false, node, null) ?? {};
  return properties.filter((p) => NodeHelpers.displayParameter(values, p, node, null, values));
}

/** The label of parameter `name` (top level first, then inside collections), with the collection it is in. */
function find(properties: readonly INodeProperties[], name: string): { label: string; within?: string } | undefined {
  const top = properties.find((p) => p.name === name);
  if (top) return { label: top.displayName };
  for (const parent of properties) {
    for (const entry of parent.options ?? []) {
      if (isProperty(entry) && entry.name === name) return { label: entry.displayName, within: parent.displayName };
      const group = entry as INodePropertyCollection;
      const inGroup = Array.isArray(group.values) ? group.values.find((v) => v.name === name) : undefined;
      if (inGroup) return { label: inGroup.displayName, within: parent.displayName };
    }
  }
  return undefined;
}

/** `"To"`, `"Encoding" in Options`, `"Host" in the SMPP Carrier credential`; the bare name when unknown. */
export function fieldWhere(properties: readonly INodeProperties[], field: string, credential?: string, node?: INode): string {
  const type = credential ? CREDENTIALS[credential] : undefined;
  if (type) {
    const found = find(type.properties, field);
    return found ? `"${found.label}" in the ${type.displayName} credential` : `the ${type.displayName} credential`;
  }
  const found = find(shownFor(properties, node), field) ?? find(properties, field);
  if (!found) return `"${field}"`;
  return found.within ? `"${found.label}" in ${found.within}` : `"${found.label}"`;
}

/** A credential type's name as the panel shows it ("SMPP Carrier" for smppApi). */
export function credentialDisplayName(type: string): string {
  return CREDENTIALS[type]?.displayName ?? type;
}

/** The bare label of a node parameter or credential field ("User ID", "Server Signing Key"), if it has one. */
export function fieldLabel(properties: readonly INodeProperties[], field: string, credential?: string): string | undefined {
  const type = credential ? CREDENTIALS[credential] : undefined;
  return find(type ? type.properties : properties, field)?.label;
}

/** The advice under an error about a bad value: what to check, and for which item; `node` picks the definition its panel shows. */
export function checkHint(properties: readonly INodeProperties[], err: Pick<FieldError, 'field' | 'credential'>, itemIndex?: number, node?: INode): string {
  const where = fieldWhere(properties, err.field, err.credential, node);
  return itemIndex === undefined ? `Check ${where}` : `Check ${where} (item ${itemIndex})`;
}
