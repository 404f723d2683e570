import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

/**
 * Redis for state that several n8n processes must share in queue mode: OTP verifications,
 * opt-out lists, broadcast journals and the shared TPS budget. Tested by connecting and sending
 * PING: nodes/shared/credentials/redis-credential-test.ts (`testedBy: 'smsGatewayRedisApiTest'`).
 */
export class SmsGatewayRedisApi implements ICredentialType {
  name = 'smsGatewayRedisApi';
  displayName = 'SMS Gateway Redis';
  icon: Icon = { light: 'file:redis.svg', dark: 'file:redis.dark.svg' };
  documentationUrl = 'https://github.com/n8n-nodes-sms-gateway/n8n-nodes-sms-gateway#sms-gateway-redis-credential';
  properties: INodeProperties[] = [
    { displayName: 'Host', name: 'host', type: 'string', default: '127.0.0.1', required: true },
    { displayName: 'Port', name: 'port', type: 'number', default: 6379, required: true },
    { displayName: 'User', name: 'user', type: 'string', default: '', description: 'Only for Redis ACL users' },
    { displayName: 'Password', name: 'password', type: 'string', typeOptions: { password: true }, default: '' },
    { displayName: 'Database Number', name: 'database', type: 'number', default: 0 },
    { displayName: 'TLS', name: 'tls', type: 'boolean', default: false },
    { displayName: 'Key Prefix', name: 'keyPrefix', type: 'string', default: 'sms-gw:', description: 'Prefix for every key this package writes' },
  ];
}
