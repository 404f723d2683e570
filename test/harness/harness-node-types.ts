/**
 * The node types a harness workflow can use: the test's own classes plus two built-in
 * start nodes, looked up the way n8n's engine does (`getByNameAndVersion`).
 */
import { NodeConnectionTypes, NodeHelpers, NodeOperationError, jsonParse } from 'n8n-workflow';
import type {
  IDataObject,
  IExecuteFunctions,
  INodeExecutionData,
  INodeType,
  INodeTypeDescription,
  INodeTypes,
  ITriggerFunctions,
  ITriggerResponse,
  IVersionedNodeType,
} from 'n8n-workflow';

export type HarnessNodeTypeMap = Record<string, INodeType | IVersionedNodeType>;

/** Type name of the built-in start node: emits the items given in its `items` parameter (JSON). */
export const START_NODE_TYPE = 'test.start';

/** n8n's Manual Trigger type name, so real n8n workflow exports run unchanged. */
export const MANUAL_TRIGGER_TYPE = 'n8n-nodes-base.manualTrigger';

/** Start node with no inputs: outputs the items of its `items` parameter (a JSON array of objects). */
class HarnessStartNode implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'Test Start',
    name: 'start',
    group: ['input'],
    version: 1,
    description: 'Emits the items given as JSON',
    defaults: { name: 'Start' },
    inputs: [],
    outputs: [NodeConnectionTypes.Main],
    properties: [{ displayName: 'Items (JSON)', name: 'items', type: 'json', default: '[]' }],
  };

  async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
    const raw = this.getNodeParameter('items', 0) as unknown;
    const parsed: unknown = typeof raw === 'string' ? jsonParse(raw) : raw;
    if (!Array.isArray(parsed)) {
      throw new NodeOperationError(this.getNode(), `Parameter "items" must be a JSON array of objects, got ${typeof parsed}`);
    }
    const items = parsed.map((json: unknown, index: number): INodeExecutionData => {
      if (typeof json !== 'object' || json === null || Array.isArray(json)) {
        throw new NodeOperationError(this.getNode(), `Parameter "items": entry ${index} must be an object`);
      }
      return { json: json as IDataObject, pairedItem: { item: 0 } };
    });
    return [items];
  }
}

/**
 * Same behaviour as n8n's Manual Trigger: a trigger that, in a manual run, emits one empty
 * item. Written here because n8n-nodes-base is not a dependency of this project.
 */
class HarnessManualTrigger implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'Manual Trigger',
    name: 'manualTrigger',
    group: ['trigger', 'input'],
    version: 1,
    description: 'Runs the flow on clicking a button in n8n',
    maxNodes: 1,
    defaults: { name: "When clicking 'Execute workflow'" },
    inputs: [],
    outputs: [NodeConnectionTypes.Main],
    properties: [],
  };

  async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
    const manualTriggerFunction = async (): Promise<void> => {
      this.emit([this.helpers.returnJsonArray([{}])]);
    };
    return { manualTriggerFunction };
  }
}

export const builtInNodeTypes: HarnessNodeTypeMap = {
  [START_NODE_TYPE]: new HarnessStartNode(),
  [MANUAL_TRIGGER_TYPE]: new HarnessManualTrigger(),
};

/** n8n's INodeTypes over a map of type name -> node class instance. */
export class HarnessNodeTypes implements INodeTypes {
  private readonly types: HarnessNodeTypeMap;

  constructor(testTypes: HarnessNodeTypeMap) {
    this.types = { ...builtInNodeTypes, ...testTypes };
  }

  getByName(nodeType: string): INodeType | IVersionedNodeType {
    const type = this.types[nodeType];
    if (type === undefined) {
      const known = Object.keys(this.types).join(', ');
      throw new Error(`Unknown node type "${nodeType}": the harness knows ${known}`);
    }
    return type;
  }

  getByNameAndVersion(nodeType: string, version?: number): INodeType {
    return NodeHelpers.getVersionedNodeType(this.getByName(nodeType), version);
  }

  getKnownTypes(): IDataObject {
    return Object.fromEntries(Object.keys(this.types).map((name) => [name, { className: name, sourcePath: '' }]));
  }
}
