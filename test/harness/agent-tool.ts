/**
 * AI agents in the harness. `asAgentTool(node)` is the `<node>Tool` type n8n registers for a
 * node with `usableAsTool` (same class and execute, description converted: no inputs, an
 * ai_tool output, a Description parameter). `HarnessAgent` stands in for the AI Agent node: it
 * makes one tool call with the arguments a model would have chosen (its `toolArgs` parameter),
 * through n8n-core's own tool machinery, in either of n8n's two ways:
 *
 * - 'langchain': the agent asks for its connected tools (`getInputConnectionData('ai_tool')`),
 *   n8n-core wraps the tool node with createNodeAsTool, and invoking it runs the node's execute
 *   in a SupplyDataContext (isToolExecution() is true), $fromAI() filled from the arguments.
 * - 'engine': the agent returns an engine request, and WorkflowExecute runs the tool node as a
 *   node of its own (output rewired to ai_tool), then resumes the agent with the result.
 *
 * The agent outputs `{ toolOutput }` (what the tool answered) or `{ toolError }`.
 */
import { deepCopy, NodeConnectionTypes } from 'n8n-workflow';
import type {
  EngineRequest,
  EngineResponse,
  IConnections,
  IDataObject,
  IExecuteFunctions,
  INodeExecutionData,
  INodeType,
  INodeTypeDescription,
} from 'n8n-workflow';

export const AGENT_NODE_TYPE = 'test.agent';

/** The tool variant n8n derives from a node marked usableAsTool (see n8n's convertNodeToAiTool). */
export function asAgentTool(nodeType: INodeType): INodeType {
  const description: INodeTypeDescription = deepCopy(nodeType.description);
  if (!description.usableAsTool) throw new Error(`${description.name} is not usable as a tool`);
  description.name += 'Tool';
  description.displayName += ' Tool';
  description.inputs = [];
  description.outputs = [NodeConnectionTypes.AiTool];
  delete description.usableAsTool;
  description.properties = [
    { displayName: 'Description', name: 'toolDescription', type: 'string', default: nodeType.description.description },
    ...description.properties,
  ];
  return Object.create(nodeType, { description: { value: description } }) as INodeType;
}

interface InvocableTool {
  name: string;
  invoke(args: IDataObject): Promise<unknown>;
}

/** The stand-in AI Agent: one tool call, by the route in its `via` parameter. */
export class HarnessAgent implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'Test Agent',
    name: 'agent',
    group: ['transform'],
    version: 1,
    description: 'Calls its connected tool once with the given arguments',
    defaults: { name: 'Agent' },
    inputs: [NodeConnectionTypes.Main, { type: NodeConnectionTypes.AiTool, displayName: 'Tools', required: true }],
    outputs: [NodeConnectionTypes.Main],
    properties: [
      { displayName: 'Tool Arguments (JSON)', name: 'toolArgs', type: 'json', default: '{}' },
      { displayName: 'Via', name: 'via', type: 'string', default: 'langchain' },
      { displayName: 'Tool Node', name: 'toolNode', type: 'string', default: '' },
    ],
  };

  async execute(this: IExecuteFunctions, response?: EngineResponse): Promise<INodeExecutionData[][] | EngineRequest> {
    const raw = this.getNodeParameter('toolArgs', 0) as unknown;
    const args = (typeof raw === 'string' ? JSON.parse(raw) : raw) as IDataObject;
    if (this.getNodeParameter('via', 0) === 'engine') {
      if (!response || response.actionResponses.length === 0) {
        const nodeName = String(this.getNodeParameter('toolNode', 0));
        return {
          actions: [{ actionType: 'ExecutionNodeAction', nodeName, input: args, type: NodeConnectionTypes.AiTool, id: 'call_1', metadata: { itemIndex: 0 } }],
          metadata: {},
        };
      }
      const [answer] = response.actionResponses;
      if (answer.data.error) return [[{ json: { toolError: answer.data.error.message } }]];
      const items = answer.data.data?.[NodeConnectionTypes.AiTool]?.[0] ?? [];
      return [[{ json: { toolOutput: items.map((item) => item.json) } }]];
    }
    const connected = (await this.getInputConnectionData(NodeConnectionTypes.AiTool, 0)) as InvocableTool[] | InvocableTool;
    const [tool] = Array.isArray(connected) ? connected : [connected];
    try {
      const answer = await tool.invoke(args);
      return [[{ json: { toolOutput: typeof answer === 'string' ? (JSON.parse(answer) as IDataObject) : (answer as IDataObject) } }]];
    } catch (err) {
      return [[{ json: { toolError: (err as Error).message } }]];
    }
  }
}

/** Start -> Agent, and the tool node connected to the agent's tools input. */
export function agentConnections(agentName: string, toolName: string): IConnections {
  return {
    Start: { main: [[{ node: agentName, type: NodeConnectionTypes.Main, index: 0 }]] },
    [toolName]: { [NodeConnectionTypes.AiTool]: [[{ node: agentName, type: NodeConnectionTypes.AiTool, index: 0 }]] },
  };
}
