import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

/**
 * Settings shared by the OTP Issue and OTP Verify nodes. The signing key is the HMAC key the
 * OTP core hashes codes with; it never goes into the state store, so every n8n process that
 * issues or verifies codes (main and workers in queue mode) must use the same credential.
 */
export class SmsOtpApi implements ICredentialType {
  name = 'smsOtpApi';
  // Settings, not an HTTP API (the messages and docs call it by this name).
  // eslint-disable-next-line n8n-nodes-base/cred-class-field-display-name-missing-api
  displayName = 'SMS OTP Settings';
  icon: Icon = { light: 'file:otp-key.svg', dark: 'file:otp-key.dark.svg' };
  documentationUrl = 'https://github.com/n8n-nodes-sms-gateway/n8n-nodes-sms-gateway#sms-otp-settings-credential';
  properties: INodeProperties[] = [
    // The HMAC key codes are hashed with: a secret, masked whatever the lint's name list says.
    // eslint-disable-next-line @n8n/community-nodes/credential-unnecessary-password
    {
      displayName: 'Server Signing Key',
      name: 'serverKey',
      type: 'string',
      typeOptions: { password: true },
      default: '',
      required: true,
      placeholder: 'output of: openssl rand -hex 32',
      description:
        'At least 16 characters; generate one with "openssl rand -hex 32". Codes are stored only as hashes keyed with it: changing it invalidates every pending code. Used with the Redis state store (memory mode signs with a random key per n8n process).',
    },
    {
      displayName: 'Default Country',
      name: 'defaultCountry',
      type: 'string',
      default: '',
      placeholder: 'DE',
      description: 'ISO country code for national numbers (e.g. 0151 12345678 in DE); by default codes are sent to this country only',
    },
    {
      displayName: 'App Name',
      name: 'appName',
      type: 'string',
      default: '',
      placeholder: 'ACME',
      description: 'Replaces {app} in the OTP message and is the default issuer shown in authenticator apps',
    },
  ];
}
