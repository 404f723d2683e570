/**
 * Tiny node and credential types that exercise the harness the way our real nodes will:
 * expressions in parameters, per-item errors with continueOnFail, credentials and their
 * test function, two outputs, binary data, logging.
 */
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';
import type {
  ICredentialsDecrypted,
  ICredentialTestFunctions,
  ICredentialType,
  IExecuteFunctions,
  INodeCredentialTestResult,
  INodeExecutionData,
  INodeType,
  INodeTypeDescription,
} from 'n8n-workflow';

export const DOUBLE_TYPE = 'test.double';
export const STRICT_NUMBER_TYPE = 'test.strictNumber';
export const PARITY_ROUTER_TYPE = 'test.parityRouter';
export const LOGIN_ECHO_TYPE = 'test.loginEcho';
export const TEXT_TO_BINARY_TYPE = 'test.textToBinary';
export const LOGIN_CREDENTIAL_TYPE = 'harnessLoginApi';
export const CORRECT_PASSWORD = 'open-sesame';

function describeNode(name: string, extra: Partial<INodeTypeDescription>): INodeTypeDescription {
  return {
    displayName: name,
    name,
    group: ['transform'],
    version: 1,
    description: `Harness example node ${name}`,
    defaults: { name },
    inputs: [NodeConnectionTypes.Main],
    outputs: [NodeConnectionTypes.Main],
    properties: [],
    ...extra,
  };
}

/** Doubles its `value` parameter (usually an expression such as `={{ $json.n }}`) per item. */
export class DoubleNode implements INodeType {
  description = describeNode('double', {
    properties: [{ displayName: 'Value', name: 'value', type: 'number', default: 0 }],
  });

  async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
    return [
      this.getInputData().map((item, itemIndex) => {
        const value = this.getNodeParameter('value', itemIndex) as number;
        return { json: { ...item.json, doubled: value * 2 }, pairedItem: { item: itemIndex } };
      }),
    ];
  }
}

/** Passes items whose `n` is a number; any other item is an error (or an error item on continueOnFail). */
export class StrictNumberNode implements INodeType {
  description = describeNode('strictNumber', {});

  async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
    const output: INodeExecutionData[] = [];
    for (const [itemIndex, item] of this.getInputData().entries()) {
      try {
        const n = item.json.n;
        if (typeof n !== 'number') {
          throw new NodeOperationError(this.getNode(), `Field "n" must be a number, got ${typeof n}`, {
            itemIndex,
            description: 'Give every item a numeric "n"',
          });
        }
        output.push({ json: { n }, pairedItem: { item: itemIndex } });
      } catch (error) {
        if (!this.continueOnFail()) throw error;
        output.push({ json: { error: (error as Error).message }, pairedItem: { item: itemIndex } });
      }
    }
    return [output];
  }
}

/** Two outputs: items whose `field` (default `n`) is even go to output 0 ("even"), the others to output 1 ("odd"). */
export class ParityRouterNode implements INodeType {
  description = describeNode('parityRouter', {
    outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
    outputNames: ['even', 'odd'],
    properties: [{ displayName: 'Field', name: 'field', type: 'string', default: 'n' }],
  });

  async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
    const even: INodeExecutionData[] = [];
    const odd: INodeExecutionData[] = [];
    for (const [itemIndex, item] of this.getInputData().entries()) {
      const field = this.getNodeParameter('field', itemIndex) as string;
      const target = Number(item.json[field]) % 2 === 0 ? even : odd;
      target.push({ json: item.json, pairedItem: { item: itemIndex } });
    }
    return [even, odd];
  }
}

/** Credential with a secret and two fields with defaults (to show defaults are applied). */
export class HarnessLoginApi implements ICredentialType {
  name = LOGIN_CREDENTIAL_TYPE;
  displayName = 'Harness Login';
  properties: ICredentialType['properties'] = [
    { displayName: 'Host', name: 'host', type: 'string', default: 'localhost' },
    { displayName: 'Port', name: 'port', type: 'number', default: 2775 },
    { displayName: 'User', name: 'user', type: 'string', default: '' },
    { displayName: 'Password', name: 'password', type: 'string', typeOptions: { password: true }, default: '' },
  ];
}

async function testLogin(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
  const { host, port, user, password } = credential.data ?? {};
  this.logger.info('Testing harness login', { host, port, user });
  if (password === CORRECT_PASSWORD) return { status: 'OK', message: `Logged in to ${String(host)}:${String(port)}` };
  return { status: 'Error', message: `Login refused for user ${String(user)}` };
}

/** Reads its credential and outputs the non-secret parts; logs the connection without the password. */
export class LoginEchoNode implements INodeType {
  description = describeNode('loginEcho', {
    credentials: [{ name: LOGIN_CREDENTIAL_TYPE, required: true, testedBy: 'harnessLoginTest' }],
  });

  methods = { credentialTest: { harnessLoginTest: testLogin } };

  async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
    const credential = await this.getCredentials(LOGIN_CREDENTIAL_TYPE);
    const { host, port, user, password } = credential;
    this.logger.info(`Connecting to ${String(host)}:${String(port)} as ${String(user)}`);
    const passwordLength = typeof password === 'string' ? password.length : 0;
    return [this.getInputData().map((_, itemIndex) => ({ json: { host, port, user, passwordLength }, pairedItem: { item: itemIndex } }))];
  }
}

/** Turns each item's `text` into a binary file property `data`. */
export class TextToBinaryNode implements INodeType {
  description = describeNode('textToBinary', {});

  async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
    const output: INodeExecutionData[] = [];
    for (const [itemIndex, item] of this.getInputData().entries()) {
      const data = await this.helpers.prepareBinaryData(Buffer.from(String(item.json.text), 'utf8'), 'message.txt', 'text/plain');
      output.push({ json: {}, binary: { data }, pairedItem: { item: itemIndex } });
    }
    return [output];
  }
}

/** All example types by type name, ready for `runWorkflow({ nodeTypes })`. */
export function exampleNodeTypes(): Record<string, INodeType> {
  return {
    [DOUBLE_TYPE]: new DoubleNode(),
    [STRICT_NUMBER_TYPE]: new StrictNumberNode(),
    [PARITY_ROUTER_TYPE]: new ParityRouterNode(),
    [LOGIN_ECHO_TYPE]: new LoginEchoNode(),
    [TEXT_TO_BINARY_TYPE]: new TextToBinaryNode(),
  };
}
