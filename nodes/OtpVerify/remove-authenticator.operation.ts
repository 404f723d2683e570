/**
 * OTP Verify, "Remove Authenticator". As an AI agent's tool it is refused: removing and enrolling
 * again is how an account's second factor would be taken over.
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { runsAsAgentTool } from '../shared/runtime/agent-tool';
import { runByUserId } from './by-user-id';
import { APPROVED_OUTPUT, REJECTED_OUTPUT } from './verify-properties';

/** Approved: an authenticator (confirmed or pending) was removed; Rejected: there was none. */
export function removeAuthenticators(ctx: IExecuteFunctions): Promise<INodeExecutionData[][]> {
  if (runsAsAgentTool(ctx)) {
    throw new NodeOperationError(ctx.getNode(), `As an AI agent's tool, ${ctx.getNode().name} does not remove authenticators. Nothing was removed.`, {
      description: 'A person removes an authenticator, in a workflow where the user or an administrator signed in',
    });
  }
  return runByUserId(ctx, async (service, userId) => {
    const removed = await service.remove(userId);
    return { output: removed ? APPROVED_OUTPUT : REJECTED_OUTPUT, json: { userId, removed, status: 'none' } };
  });
}
