/**
 * The SMS Gateway Redis credential's test (`smsGatewayRedisApiTest`), run the way n8n runs a
 * credential test without an HTTP request: through a node that lists the credential with
 * `testedBy`. Against the real Redis at 127.0.0.1:6379 and a port where nothing listens.
 */
import { createServer } from 'node:net';
import type { INodeType } from 'n8n-workflow';
import { testCredential } from '../harness/n8n-harness';
import { SmsGatewayRedisApi } from '../../credentials/SmsGatewayRedisApi.credentials';
import { SendSms } from '../../nodes/SendSms/SendSms.node';
import { BulkAlertBroadcast } from '../../nodes/BulkAlertBroadcast/BulkAlertBroadcast.node';
import { OtpIssue } from '../../nodes/OtpIssue/OtpIssue.node';
import { OtpVerify } from '../../nodes/OtpVerify/OtpVerify.node';
import { SmsTrigger } from '../../nodes/SmsTrigger/SmsTrigger.node';

const nodes: Record<string, INodeType> = {
  'n8n-nodes-sms-gateway.sendSms': new SendSms(),
  'n8n-nodes-sms-gateway.bulkAlertBroadcast': new BulkAlertBroadcast(),
  'n8n-nodes-sms-gateway.otpIssue': new OtpIssue(),
  'n8n-nodes-sms-gateway.otpVerify': new OtpVerify(),
  'n8n-nodes-sms-gateway.smsTrigger': new SmsTrigger(),
};
const credentialTypes = [new SmsGatewayRedisApi()];

/** A local port with nothing listening on it (taken from the OS, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function testRedis(data: Record<string, string | number | boolean>) {
  return testCredential({ nodeTypes: nodes, credentialType: 'smsGatewayRedisApi', data, credentialTypes });
}

describe('SMS Gateway Redis credential test', () => {
  it('every node that uses a credential names a test method it really has', () => {
    for (const [type, node] of Object.entries(nodes)) {
      const methods = node.methods?.credentialTest ?? {};
      for (const credential of node.description.credentials ?? []) {
        expect({ type, credential: credential.name, testedBy: credential.testedBy }).toEqual({
          type,
          credential: credential.name,
          testedBy: expect.any(String),
        });
        expect({ type, method: typeof methods[credential.testedBy as string] }).toEqual({ type, method: 'function' });
      }
      const redis = node.description.credentials?.find((c) => c.name === 'smsGatewayRedisApi');
      expect({ type, testedBy: redis?.testedBy }).toEqual({ type, testedBy: 'smsGatewayRedisApiTest' });
    }
  });

  it('connects to a running Redis and says where', async () => {
    const result = await testRedis({ host: '127.0.0.1', port: 6379, database: 3 });
    expect(result).toEqual({ status: 'OK', message: 'Connected to Redis at 127.0.0.1:6379, database 3' });
  });

  it('a port where nothing listens reads as words, without the password', async () => {
    const port = await closedPort();
    const result = await testRedis({ host: '127.0.0.1', port, password: 'hunter2-secret' });
    expect(result.status).toBe('Error');
    expect(result.message).toBe(`Cannot reach Redis at 127.0.0.1:${port}: connection refused (is Redis running on that port?)`);
  });

  it("refused login: the server's reason, never the password", async () => {
    const result = await testRedis({ host: '127.0.0.1', port: 6379, user: 'no-such-user-for-this-test', password: 'hunter2-secret' });
    expect(result.status).toBe('Error');
    expect(result.message).toMatch(/^Cannot reach Redis at 127\.0\.0\.1:6379: WRONGPASS/);
    expect(result.message).not.toContain('hunter2-secret');
  });

  it('a bad field is named before anything connects', async () => {
    expect(await testRedis({ host: '  ', port: 6379 })).toEqual({ status: 'Error', message: 'Redis credential: Host is empty' });
    expect(await testRedis({ host: '127.0.0.1', port: 70000 })).toEqual({ status: 'Error', message: 'Redis credential: Port must be 1-65535 (got 70000)' });
  });
});
