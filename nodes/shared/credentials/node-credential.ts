/**
 * A node's credential of one type. n8n's editor fills at most one credential slot when a node is
 * added (the most recently saved credential among all its slots), so a node with two slots often
 * starts with one empty; n8n-core then says 'Node does not have any credentials set for "smppApi"'.
 * This names the slot as the panel labels it instead.
 */
import type { ICredentialDataDecryptedObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { credentialDisplayName } from '../errors/field-label';

type CredentialReader = Pick<IExecuteFunctions, 'getNode' | 'getCredentials'>;

export async function nodeCredential(ctx: CredentialReader, type: string): Promise<ICredentialDataDecryptedObject> {
  if (!ctx.getNode().credentials?.[type]) {
    const label = credentialDisplayName(type);
    throw new NodeOperationError(ctx.getNode(), `No ${label} credential selected`, {
      description: `Choose one in the "${label}" field at the top of the node's panel, or create one there`,
    });
  }
  return ctx.getCredentials(type);
}
