import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

/**
 * A PostgreSQL database that Broadcast Alert reads its recipients from (Recipient Source =
 * PostgreSQL Query), a page at a time. Its own type rather than n8n's `postgres` credential: n8n's
 * community-node lint refuses a node that names a credential from another package
 * (no-credential-reuse). Tested by connecting and asking the server who we are:
 * nodes/shared/credentials/postgres-credential-test.ts (`testedBy: 'smsGatewayPostgresApiTest'`).
 */
export class SmsGatewayPostgresApi implements ICredentialType {
  name = 'smsGatewayPostgresApi';
  displayName = 'SMS Gateway PostgreSQL';
  icon: Icon = { light: 'file:postgres.svg', dark: 'file:postgres.dark.svg' };
  documentationUrl = 'https://github.com/n8n-nodes-sms-gateway/n8n-nodes-sms-gateway#sms-gateway-postgresql-credential';
  properties: INodeProperties[] = [
    { displayName: 'Host', name: 'host', type: 'string', default: 'localhost', required: true },
    { displayName: 'Database', name: 'database', type: 'string', default: 'postgres', required: true },
    {
      displayName: 'User',
      name: 'user',
      type: 'string',
      default: 'postgres',
      required: true,
      description: 'A user that may only read the recipients is enough',
    },
    { displayName: 'Password', name: 'password', type: 'string', typeOptions: { password: true }, default: '' },
    { displayName: 'Port', name: 'port', type: 'number', default: 5432 },
    {
      displayName: 'SSL',
      name: 'ssl',
      type: 'options',
      default: 'disable',
      options: [
        { name: 'Disable', value: 'disable' },
        { name: 'Require (Do Not Check the Certificate)', value: 'require' },
        { name: 'Require and Verify the Certificate', value: 'verify' },
      ],
    },
  ];
}
