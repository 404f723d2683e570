/**
 * Credentials for harness runs: n8n's ICredentialsHelper over plain objects keyed by
 * credential type name, instead of n8n's encrypted database rows.
 */
import { ICredentialsHelper, NodeHelpers } from 'n8n-workflow';
import type {
  ICredentialDataDecryptedObject,
  ICredentials,
  ICredentialType,
  IHttpRequestOptions,
  INodeCredentialsDetails,
  INodeParameters,
  INodeProperties,
  IRequestOptionsSimplified,
} from 'n8n-workflow';

/** Decrypted credential data by credential type name (e.g. `{ smppApi: { host, port, ... } }`). */
export type HarnessCredentials = Record<string, ICredentialDataDecryptedObject>;

/** One `getCredentials` call a node made, for tests that check which credential was used. */
export interface CredentialRequest {
  type: string;
  id: string | null;
  name: string;
}

/**
 * Like n8n's CLI CredentialsHelper: `getDecrypted` returns the stored data with the
 * credential type's defaults filled in (when the type is known) and throws when the
 * credential does not exist. Not supported: expressions inside credential values,
 * credential overwrites, external secrets, OAuth flows.
 */
export class HarnessCredentialsHelper extends ICredentialsHelper {
  readonly requests: CredentialRequest[] = [];
  private readonly stored: HarnessCredentials;
  private readonly types: Map<string, ICredentialType>;

  constructor(credentials: HarnessCredentials = {}, credentialTypes: ICredentialType[] = []) {
    super();
    this.stored = structuredClone(credentials);
    this.types = new Map(credentialTypes.map((type) => [type.name, type]));
  }

  getParentTypes(name: string): string[] {
    const parents = this.types.get(name)?.extends ?? [];
    return parents.flatMap((parent) => [parent, ...this.getParentTypes(parent)]);
  }

  isCredentialUsableByNode(): boolean {
    return true;
  }

  async authenticate(
    credentials: ICredentialDataDecryptedObject,
    typeName: string,
    requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
  ): Promise<IHttpRequestOptions> {
    const authenticate = this.types.get(typeName)?.authenticate;
    if (typeof authenticate === 'function') {
      return await authenticate(credentials, requestOptions as IHttpRequestOptions);
    }
    // Declarative (generic) authentication is HTTP-only and not needed by this project's nodes.
    return requestOptions as IHttpRequestOptions;
  }

  async preAuthentication(): Promise<undefined> {
    return undefined;
  }

  async runPreAuthentication(): Promise<undefined> {
    return undefined;
  }

  async getCredentials(nodeCredentials: INodeCredentialsDetails, type: string): Promise<ICredentials> {
    throw new Error(`The harness has no encrypted credential store: getCredentials(${type}, "${nodeCredentials.name}") is not supported`);
  }

  async getDecrypted(_additionalData: unknown, nodeCredentials: INodeCredentialsDetails, type: string): Promise<ICredentialDataDecryptedObject> {
    this.requests.push({ type, id: nodeCredentials.id, name: nodeCredentials.name });
    const data = this.stored[type];
    if (data === undefined) {
      // Same wording as n8n's CredentialNotFoundError.
      throw new Error(`Credential with ID "${nodeCredentials.id ?? ''}" does not exist for type "${type}".`);
    }
    return this.applyDefaults(type, structuredClone(data));
  }

  async updateCredentials(_nodeCredentials: INodeCredentialsDetails, type: string, data: ICredentialDataDecryptedObject): Promise<void> {
    this.stored[type] = structuredClone(data);
  }

  async updateCredentialsOauthTokenData(_nodeCredentials: INodeCredentialsDetails, type: string, data: ICredentialDataDecryptedObject): Promise<void> {
    this.stored[type] = { ...this.stored[type], oauthTokenData: structuredClone(data.oauthTokenData) };
  }

  getCredentialsProperties(type: string): INodeProperties[] {
    const credentialType = this.types.get(type);
    if (credentialType === undefined) return [];
    const inherited = (credentialType.extends ?? []).flatMap((parent) => this.getCredentialsProperties(parent));
    const own = new Set(credentialType.properties.map((property) => property.name));
    return [...inherited.filter((property) => !own.has(property.name)), ...credentialType.properties];
  }

  /** Fills in the credential type's defaults, as n8n does before handing data to a node. */
  applyDefaults(type: string, data: ICredentialDataDecryptedObject): ICredentialDataDecryptedObject {
    const properties = this.getCredentialsProperties(type);
    if (properties.length === 0) return data;
    const withDefaults = NodeHelpers.getNodeParameters(properties, data as INodeParameters, true, false, null, null);
    return (withDefaults ?? data) as ICredentialDataDecryptedObject;
  }
}
