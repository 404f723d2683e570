/**
 * Limits for our nodes when an AI agent calls them as tools (n8n's `usableAsTool` variant, type
 * name `<node>Tool`). An agent acts on text it reads, and text can be written by an attacker:
 * so as a tool a node sends to at most "Max Recipients per Agent Call" numbers, never overrides
 * opt-outs, never reaches a whole area by cell broadcast, and never hands out codes or secrets.
 */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

export const DEFAULT_MAX_TOOL_RECIPIENTS = 10;

/** Shown only on the tool variant of a node (n8n's '@tool' display condition). */
export const maxToolRecipientsProperty: INodeProperties = {
  displayName: 'Max Recipients per Agent Call',
  name: 'maxToolRecipients',
  type: 'number',
  default: DEFAULT_MAX_TOOL_RECIPIENTS,
  typeOptions: { minValue: 1 },
  description:
    "As an AI agent's tool, a call that would send to more phone numbers than this sends nothing and tells the agent why. Opt-outs are always respected.",
  displayOptions: { show: { '@tool': [true] } },
};

/**
 * Whether the node runs as an agent's tool. n8n has two paths: tools built for LangChain agents
 * run in a context whose isToolExecution() is true; agents that hand tool calls back to the
 * engine run the node as a normal node with its output rewired to 'ai_tool'. Both run the
 * `<node>Tool` type, the name n8n's own '@tool' display condition tests, checked here too
 * (written out, not imported: older n8n-workflow versions lack the helper).
 */
export function runsAsAgentTool(ctx: IExecuteFunctions): boolean {
  const node = ctx.getNode();
  if ((node.type.split('.').pop() ?? '').endsWith('Tool')) return true;
  if (node.rewireOutputLogTo === NodeConnectionTypes.AiTool) return true;
  return typeof ctx.isToolExecution === 'function' && ctx.isToolExecution();
}

/** Refuses a tool call that would send to more numbers than the node allows an agent; nothing is sent then. */
export function checkToolRecipients(ctx: IExecuteFunctions, recipients: number, what = 'phone numbers'): void {
  const raw = ctx.getNodeParameter('maxToolRecipients', 0, DEFAULT_MAX_TOOL_RECIPIENTS);
  const limit = typeof raw === 'number' && Number.isInteger(raw) && raw >= 1 ? raw : DEFAULT_MAX_TOOL_RECIPIENTS;
  if (recipients <= limit) return;
  throw new NodeOperationError(
    ctx.getNode(),
    `As an AI agent's tool, ${ctx.getNode().name} sends to at most ${limit} ${what} per call; this call asked for ${recipients}. Nothing was sent.`,
    // Not "send it from a workflow": this text reaches the agent, and a workflow an agent can call
    // as a tool would run a plain Send SMS without this limit (see the README's agent section).
    {
      description:
        'Raise "Max Recipients per Agent Call" on the tool node if agents must reach more people in one call. Larger lists are for workflows a person starts, not for agents.',
    },
  );
}
