import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

/**
 * A GSM modem (USB stick or serial modem with a SIM card) on the n8n machine. Not an HTTP
 * credential: tested by opening the port (see nodes/shared/credentials/modem-credential-test.ts,
 * `testedBy: 'gsmModemApiTest'` on every node that uses it).
 */
export class GsmModemApi implements ICredentialType {
  name = 'gsmModemApi';
  // Not an HTTP API: n8n's own non-HTTP credentials (Redis, Postgres, MQTT, SSH) have no "API"
  // suffix either, and the messages and docs call it by this name.
  // eslint-disable-next-line n8n-nodes-base/cred-class-field-display-name-missing-api
  displayName = 'GSM Modem';
  icon: Icon = { light: 'file:gsm-modem.svg', dark: 'file:gsm-modem.dark.svg' };
  documentationUrl = 'https://github.com/n8n-nodes-sms-gateway/n8n-nodes-sms-gateway#gsm-modem-credential';
  properties: INodeProperties[] = [
    {
      displayName: 'Device Path',
      name: 'devicePath',
      type: 'string',
      default: '/dev/ttyUSB0',
      required: true,
      placeholder: '/dev/serial/by-id/usb-Huawei_..._if00-port0',
      description:
        "The modem's AT port. USB modems expose several ports; a /dev/serial/by-id/ path stays the same when the modem is re-plugged. On Windows: COM3.",
    },
    {
      displayName: 'Baud Rate',
      name: 'baudRate',
      type: 'options',
      default: 115200,
      options: [
        { name: '9600', value: 9600 },
        { name: '19200', value: 19200 },
        { name: '38400', value: 38400 },
        { name: '57600', value: 57600 },
        { name: '115200', value: 115200 },
        { name: '230400', value: 230400 },
        { name: '460800', value: 460800 },
        { name: '921600', value: 921600 },
      ],
      description: 'USB modems ignore it; serial modems usually need 115200 or 9600',
    },
    // A SIM PIN is a secret (3 wrong tries lock the SIM): masked, whatever the lint's name list says.
    // eslint-disable-next-line @n8n/community-nodes/credential-unnecessary-password
    {
      displayName: 'SIM PIN',
      name: 'pin',
      type: 'string',
      typeOptions: { password: true },
      default: '',
      description: 'Only if the SIM card asks for one. A wrong PIN is never retried: the SIM locks after 3 wrong PINs.',
    },
    {
      displayName: 'SMSC Number',
      name: 'smsc',
      type: 'string',
      default: '',
      placeholder: '+447785016005',
      description: "Your operator's SMS centre. Leave empty to use the one stored on the SIM (usually right).",
    },
    {
      displayName: 'Default Country',
      name: 'defaultCountry',
      type: 'string',
      default: '',
      placeholder: 'GB',
      description: 'ISO country code used to read national numbers (e.g. 07911 123456 in GB)',
    },
  ];
}
