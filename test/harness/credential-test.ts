/**
 * Runs a credential's test the way n8n's CredentialsTester does for credentials without an
 * HTTP test request: find a node whose description lists the credential with a string
 * `testedBy`, fill in the credential type's defaults, and call that node's
 * `methods.credentialTest[testedBy]` with n8n-core's own CredentialTestContext as `this`.
 */
import './n8n-environment'; // must come before n8n-core loads
import { CredentialTestContext } from 'n8n-core';
import type {
  ICredentialDataDecryptedObject,
  ICredentialsDecrypted,
  ICredentialTestFunction,
  ICredentialType,
  INodeCredentialTestResult,
  INodeType,
  IVersionedNodeType,
} from 'n8n-workflow';

import { buildAdditionalData } from './additional-data';
import { HarnessCredentialsHelper } from './harness-credentials';
import type { HarnessNodeTypeMap } from './harness-node-types';

export interface CredentialTestOptions {
  /** Node classes that may carry the test (n8n looks through every node using the credential). */
  nodeTypes: HarnessNodeTypeMap;
  /** Credential type name, e.g. 'smppApi'. */
  credentialType: string;
  /** The credential's data as the user entered it. */
  data: ICredentialDataDecryptedObject;
  /** Credential classes, so their defaults are filled in as n8n does before testing. */
  credentialTypes?: ICredentialType[];
  id?: string;
  name?: string;
}

/** n8n's answer when no node tests the credential (CredentialsTester.testCredentials). */
export const NO_TEST_FUNCTION_MESSAGE = 'No testing function found for this credential.';

export async function testCredential(options: CredentialTestOptions): Promise<INodeCredentialTestResult> {
  const testFunction = findCredentialTestFunction(options.nodeTypes, options.credentialType);
  if (testFunction === undefined) return { status: 'Error', message: NO_TEST_FUNCTION_MESSAGE };

  const credentialsHelper = new HarnessCredentialsHelper({}, options.credentialTypes);
  let data: ICredentialDataDecryptedObject;
  try {
    data = credentialsHelper.applyDefaults(options.credentialType, structuredClone(options.data));
  } catch (error) {
    // n8n turns a failure to prepare the data into an error result, not a thrown error.
    return { status: 'Error', message: error instanceof Error ? error.message : String(error) };
  }
  const credential: ICredentialsDecrypted = {
    id: options.id ?? 'harness-credential',
    name: options.name ?? `${options.credentialType} (harness)`,
    type: options.credentialType,
    data,
  };
  const additionalData = buildAdditionalData({
    credentialsHelper,
    mode: 'internal',
    executionId: 'harness-credential-test',
    workflowData: {
      id: 'harness-credential-test',
      name: 'Credential test',
      active: false,
      activeVersionId: null,
      isArchived: false,
      createdAt: new Date(),
      updatedAt: new Date(),
      nodes: [],
      connections: {},
    },
  });
  // As in n8n, an exception from the test function propagates to the caller.
  return await testFunction.call(new CredentialTestContext(additionalData), credential);
}

/** Same search order as n8n: each node (newest version first) whose credentials list names the type. */
export function findCredentialTestFunction(nodeTypes: HarnessNodeTypeMap, credentialType: string): ICredentialTestFunction | undefined {
  for (const [typeName, nodeType] of Object.entries(nodeTypes)) {
    for (const version of newestFirst(nodeType)) {
      const entry = version.description.credentials?.find((credential) => credential.name === credentialType);
      if (entry?.testedBy === undefined) continue;
      if (typeof entry.testedBy !== 'string') {
        throw new Error(`${typeName}: HTTP request credential tests (testedBy as an object) are not supported by the harness`);
      }
      const testFunction = version.methods?.credentialTest?.[entry.testedBy];
      if (testFunction === undefined) {
        throw new Error(`${typeName} declares testedBy "${entry.testedBy}" for ${credentialType} but has no methods.credentialTest.${entry.testedBy}`);
      }
      return testFunction;
    }
  }
  return undefined;
}

function newestFirst(nodeType: INodeType | IVersionedNodeType): INodeType[] {
  if (!('nodeVersions' in nodeType)) return [nodeType];
  return Object.keys(nodeType.nodeVersions)
    .map(Number)
    .sort((a, b) => b - a)
    .map((version) => nodeType.nodeVersions[version]);
}
