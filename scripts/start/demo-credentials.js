'use strict';
// The credentials the demo imports with `n8n import:credentials`: the sandbox SMSC as an SMPP
// Carrier, SMS OTP Settings with the demo's generated key, and the local Redis when it answers.
// Fixed ids: the example workflows reference them, and a second import overwrites instead of
// adding a copy. `data` is a plain object: the CLI encrypts it with the instance's key (a string
// would be taken as already encrypted).

const DEMO_CREDENTIAL_IDS = Object.freeze({
  sandboxSmpp: 'smsDemoSandbox01',
  otpSettings: 'smsDemoOtpKey001',
  redis: 'smsDemoRedis0001',
});

/** The sender the examples' replies and notifications come from: a short code phones can answer. */
const DEMO_SHORT_CODE = '60777';

/**
 * @param {{ smppHost?: string, smppPort: number, account: { systemId: string, password: string },
 *   otpServerKey: string, redis?: { host: string, port: number } | null }} options
 * @returns {Array<{ id: string, name: string, type: string, data: Record<string, unknown> }>}
 */
function demoCredentials({ smppHost = '127.0.0.1', smppPort, account, otpServerKey, redis = null }) {
  if (!Number.isInteger(smppPort) || smppPort < 1 || smppPort > 65535) {
    throw new Error(`demoCredentials: smppPort must be the sandbox's SMPP port (1-65535), got ${JSON.stringify(smppPort)}`);
  }
  if (typeof otpServerKey !== 'string' || otpServerKey.length < 16) {
    throw new Error('demoCredentials: otpServerKey must be a string of at least 16 characters');
  }
  const credentials = [
    {
      id: DEMO_CREDENTIAL_IDS.sandboxSmpp,
      name: 'SMS Sandbox (SMPP)',
      type: 'smppApi',
      data: {
        host: smppHost,
        port: smppPort,
        tls: false,
        systemId: account.systemId,
        password: account.password,
        systemType: '',
        bindMode: 'transceiver',
        sourceAddress: DEMO_SHORT_CODE,
        sourceTonNpi: 'auto',
        defaultCountry: 'GB',
        // Fast enough that 1,000 alerts take a few seconds, slow enough to watch on the inbox page.
        tps: 500,
        windowSize: 50,
        enquireLinkSeconds: 30,
        responseTimeoutSeconds: 10,
      },
    },
    {
      id: DEMO_CREDENTIAL_IDS.otpSettings,
      name: 'Demo OTP Settings',
      type: 'smsOtpApi',
      data: { serverKey: otpServerKey, defaultCountry: 'GB', appName: 'ACME' },
    },
  ];
  if (redis) {
    credentials.push({
      id: DEMO_CREDENTIAL_IDS.redis,
      name: 'Local Redis',
      type: 'smsGatewayRedisApi',
      data: { host: redis.host, port: redis.port, user: '', password: '', database: 0, tls: false, keyPrefix: 'sms-gw-demo:' },
    });
  }
  return credentials;
}

module.exports = { demoCredentials, DEMO_CREDENTIAL_IDS, DEMO_SHORT_CODE };
