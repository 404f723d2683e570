import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

/**
 * The account your own applications use to bind to the SMS Trigger in SMPP server mode (the
 * trigger is the SMSC, your application the ESME). Checked by nodes/SmsTrigger/server-credential.ts;
 * tested by `smppServerApiTest` (fields and TLS key/certificate pair).
 */
export class SmppServerApi implements ICredentialType {
  name = 'smppServerApi';
  // Not an HTTP API: n8n's own non-HTTP credentials (Redis, Postgres, MQTT, SSH) have no "API"
  // suffix either, and the messages and docs call it by this name.
  // eslint-disable-next-line n8n-nodes-base/cred-class-field-display-name-missing-api
  displayName = 'SMPP Server Account';
  icon: Icon = { light: 'file:smpp-server.svg', dark: 'file:smpp-server.dark.svg' };
  documentationUrl = 'https://github.com/n8n-nodes-sms-gateway/n8n-nodes-sms-gateway#smpp-server-account-credential';
  properties: INodeProperties[] = [
    {
      displayName: 'System ID',
      name: 'systemId',
      type: 'string',
      default: '',
      required: true,
      description: 'The login (system_id) your application binds with; at most 15 characters',
    },
    {
      displayName: 'Password',
      name: 'password',
      type: 'string',
      typeOptions: { password: true },
      default: '',
      required: true,
      description: 'SMPP 3.4 allows 8 characters; longer passwords work with clients that send them',
    },
    {
      displayName: 'TLS',
      name: 'tls',
      type: 'boolean',
      default: false,
      description: 'Whether the port speaks TLS (applications then connect with TLS, e.g. ssmpp://)',
    },
    // A private key is a secret: masked, whatever the lint's name list says.
    // eslint-disable-next-line @n8n/community-nodes/credential-unnecessary-password
    {
      displayName: 'TLS Private Key (PEM)',
      name: 'tlsKey',
      type: 'string',
      typeOptions: { password: true, rows: 4 },
      default: '',
      placeholder: '-----BEGIN PRIVATE KEY-----',
      displayOptions: { show: { tls: [true] } },
    },
    // A certificate (and its chain) is public: shown, so the user can check what was pasted.
    // eslint-disable-next-line @n8n/community-nodes/credential-password-field
    {
      displayName: 'TLS Certificate (PEM)',
      name: 'tlsCert',
      type: 'string',
      typeOptions: { rows: 4 },
      default: '',
      placeholder: '-----BEGIN CERTIFICATE-----',
      description: 'The certificate, followed by any intermediate certificates',
      displayOptions: { show: { tls: [true] } },
    },
    {
      displayName: 'Lock Out After Failed Binds',
      name: 'maxFailedBinds',
      type: 'number',
      default: 10,
      typeOptions: { minValue: 1, maxValue: 1000 },
      description:
        'Failed binds in a row from one address for this System ID after which that address is refused for it, even with the right password (three times as many over any System ID refuse the address for all; ten times as many from all addresses refuse this System ID to every address that has not bound with it in the last 30 days); other addresses keep binding',
    },
    {
      displayName: 'Lockout (Minutes)',
      name: 'lockoutMinutes',
      type: 'number',
      default: 5,
      typeOptions: { minValue: 1, maxValue: 1440 },
      description: 'How long the first lockout lasts; each further failed bind locks it again for twice as long (up to a day)',
    },
  ];
}
