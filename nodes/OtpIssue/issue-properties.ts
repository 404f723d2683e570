/** OTP Issue's parameters: the SMS code operation and authenticator enrolment. */
import type { INodeProperties } from 'n8n-workflow';
import { messageOptions } from '../shared/sending/send-options';
import { channelProperty, otpStateStoreProperty, phoneNumberProperty } from '../shared/otp/otp-properties';
import { DEFAULT_OTP_TEMPLATE } from '../shared/otp/otp-template';
import { maxToolRecipientsProperty } from '../shared/runtime/agent-tool';
import { fromProperties, transportProperty } from '../shared/sending/sender-transport';

export const SEND_SMS_CODE = 'sendSmsCode';
export const ENROL_AUTHENTICATOR = 'enrolAuthenticator';

const forSms = { operation: [SEND_SMS_CODE] };
const forEnrol = { operation: [ENROL_AUTHENTICATOR] };
/** Version 1 enrolment returns the secret and stores nothing (kept for saved workflows). */
const forEnrolV1 = { ...forEnrol, '@version': [1] };
/** From version 2 enrolment keeps the secret encrypted in the state store, found by User ID. */
const forEnrolV2 = { ...forEnrol, '@version': [{ _cnd: { gte: 2 } }] };

const limitOptions: INodeProperties[] = [
  {
    displayName: 'Allowed Countries',
    name: 'allowedCountries',
    type: 'string',
    default: '',
    placeholder: 'DE, AT, +41',
    description:
      'Where codes may go: ISO codes or calling codes, separated by commas. Empty: the default country only. * allows every country (invites SMS pumping fraud).',
  },
  {
    displayName: 'Global Sends per Hour',
    name: 'globalPerHour',
    type: 'number',
    default: 1000,
    typeOptions: { minValue: 0 },
    description: 'Sends per hour for all numbers together (all workers with Redis); 0 turns the limit off',
  },
  {
    displayName: 'Include Code in Output (Testing Only)',
    name: 'includeCodeInOutput',
    type: 'boolean',
    default: false,
    description:
      'Whether to add the code to the output item. Only for testing: anyone who can see executions could then read codes. Never when an AI agent calls this node as a tool.',
  },
  {
    displayName: 'Max Check Attempts',
    name: 'maxCheckAttempts',
    type: 'number',
    default: 5,
    typeOptions: { minValue: 1, maxValue: 100 },
    description: 'Wrong codes allowed before the verification ends as max_attempts_reached',
  },
  {
    displayName: 'Max Sends',
    name: 'maxSends',
    type: 'number',
    default: 5,
    typeOptions: { minValue: 1, maxValue: 100 },
    description: 'Sends (first send and resends) of one verification',
  },
  {
    displayName: 'Min Resend Interval (Seconds)',
    name: 'minResendIntervalSeconds',
    type: 'number',
    default: 30,
    typeOptions: { minValue: 0 },
    description: 'How long a resend to the same number and purpose must wait',
  },
  {
    displayName: 'New Code on Resend',
    name: 'newCodeOnResend',
    type: 'boolean',
    default: false,
    description: 'Whether a resend sends a fresh code (the old one stops working) instead of the same code again',
  },
  {
    displayName: 'Number Prefix Length',
    name: 'prefixLength',
    type: 'number',
    default: 6,
    typeOptions: { minValue: 3, maxValue: 14 },
    description: 'Digits of the international number (after +) that form the prefix for the per-prefix limit',
  },
  {
    displayName: 'Sends per Number per Hour',
    name: 'perNumberPerHour',
    type: 'number',
    default: 10,
    typeOptions: { minValue: 0 },
    description: 'All purposes together; 0 turns the limit off',
  },
  {
    displayName: 'Sends per Prefix per Hour',
    name: 'perPrefixPerHour',
    type: 'number',
    default: 100,
    typeOptions: { minValue: 0 },
    description: 'Sends to numbers sharing their first digits (fraudsters pump number ranges); 0 turns the limit off',
  },
];

export const issueProperties: INodeProperties[] = [
  {
    displayName: 'Operation',
    name: 'operation',
    type: 'options',
    noDataExpression: true,
    default: SEND_SMS_CODE,
    options: [
      {
        name: 'Enrol Authenticator App',
        value: ENROL_AUTHENTICATOR,
        action: 'Enrol an authenticator app',
        description: 'Create a TOTP secret and its QR code for Google Authenticator and similar apps',
      },
      { name: 'Send SMS Code', value: SEND_SMS_CODE, action: 'Send a verification code by SMS', description: 'Start a verification, or resend its code' },
    ],
  },
  { ...transportProperty, displayOptions: { show: forSms } },
  phoneNumberProperty(forSms),
  channelProperty(forSms),
  {
    displayName: 'Message Template',
    name: 'messageTemplate',
    type: 'string',
    default: DEFAULT_OTP_TEMPLATE,
    required: true,
    typeOptions: { rows: 3 },
    description:
      'The SMS text. {code} is replaced by the code (required), {app} by the App Name, {minutes} by the lifetime. Single braces: {{ }} is n8n expression syntax.',
    hint: 'Placeholders take single braces: {code}, {app}, {minutes}. Double braces {{ }} are n8n expressions.',
    displayOptions: { show: forSms },
  },
  {
    displayName: 'App Name',
    name: 'appName',
    type: 'string',
    default: '',
    placeholder: 'ACME',
    description: 'Replaces {app}; empty uses the App Name of the SMS OTP Settings credential',
    displayOptions: { show: forSms },
  },
  ...fromProperties(forSms, 'ACME'),
  {
    displayName: 'Code Length',
    name: 'codeLength',
    type: 'number',
    default: 6,
    typeOptions: { minValue: 4, maxValue: 10 },
    description: 'Digits in the code (4-10)',
    displayOptions: { show: forSms },
  },
  {
    displayName: 'Lifetime (Minutes)',
    name: 'lifetimeMinutes',
    type: 'number',
    default: 10,
    typeOptions: { minValue: 1, maxValue: 1440 },
    description: 'How long the code works; resends do not extend it',
    displayOptions: { show: forSms },
  },
  otpStateStoreProperty(forSms),
  { ...maxToolRecipientsProperty, displayOptions: { show: { ...forSms, '@tool': [true] } } },
  { displayName: 'Limits', name: 'limits', type: 'collection', placeholder: 'Add Limit', default: {}, options: limitOptions, displayOptions: { show: forSms } },
  {
    displayName: 'Message Options',
    name: 'messageOptions',
    type: 'collection',
    placeholder: 'Add Option',
    default: {},
    // A scheduled one-time code makes no sense: it would arrive after it expired or be useless.
    options: messageOptions.filter((option) => option.name !== 'scheduleAt'),
    displayOptions: { show: forSms },
  },
  {
    displayName:
      "The secret is returned once. Store it (encrypted) with the user's account: Verify OTP needs it to check codes, and it cannot be recovered. This output and the QR code image hold the secret, and n8n keeps both in the execution data: see the README on not saving them.",
    name: 'enrolNotice',
    type: 'notice',
    default: '',
    displayOptions: { show: forEnrolV1 },
  },
  {
    displayName:
      "The secret stays in the State Store, encrypted with the SMS OTP Settings key and found by User ID; the new authenticator is pending until Verify OTP approves its first code. The QR code image IS the secret (the masked hint is not): anyone who sees it can make codes, and n8n keeps it in this execution's data. Show it to the user once, and set this workflow not to save successful executions (Workflow Settings) or prune execution data. With the Memory store, enrolments end when n8n restarts.",
    name: 'enrolStoredNotice',
    type: 'notice',
    default: '',
    displayOptions: { show: forEnrolV2 },
  },
  {
    displayName: 'User ID',
    name: 'userId',
    type: 'string',
    default: '',
    required: true,
    placeholder: 'user-42',
    description:
      'Who the authenticator belongs to, as your system names the user (an ID that does not change). Verify OTP checks codes by this ID; the store keeps only a keyed hash of it.',
    displayOptions: { show: forEnrolV2 },
  },
  {
    displayName: 'Replace Existing Authenticator',
    name: 'replaceExisting',
    type: 'boolean',
    default: false,
    description:
      "Whether a user who already has a confirmed authenticator may be enrolled again. The old one keeps working until Verify OTP approves the new one's first code. Off: such a user is refused and keeps theirs. Only where the user proved who they are; never when an AI agent calls this node as a tool.",
    displayOptions: { show: forEnrolV2 },
  },
  {
    displayName: 'Confirm Within (Minutes)',
    name: 'confirmWithinMinutes',
    type: 'number',
    default: 15,
    typeOptions: { minValue: 1, maxValue: 1440 },
    description: "How long the new authenticator waits for its first good code (Verify OTP approves it and makes it the user's); unconfirmed, it is forgotten",
    displayOptions: { show: forEnrolV2 },
  },
  {
    displayName: 'Account Name',
    name: 'accountName',
    type: 'string',
    default: '',
    required: true,
    placeholder: 'alice@example.com',
    description: 'Shown in the authenticator app next to the issuer',
    displayOptions: { show: forEnrol },
  },
  {
    displayName: 'Issuer',
    name: 'issuer',
    type: 'string',
    default: '',
    placeholder: 'ACME',
    description: 'Your service as the app shows it; empty uses the App Name of the SMS OTP Settings credential',
    displayOptions: { show: forEnrol },
  },
  {
    displayName: 'Put QR Code in Field',
    name: 'binaryPropertyName',
    type: 'string',
    default: 'qrCode',
    required: true,
    description: 'Binary field for the QR code PNG. The image holds the secret: whoever sees it can make codes.',
    displayOptions: { show: forEnrol },
  },
  otpStateStoreProperty(forEnrolV2),
  {
    displayName: 'Return Secret in Output',
    name: 'returnSecret',
    type: 'boolean',
    default: false,
    description:
      "Whether to add the secret and its otpauth:// URI to the output item. n8n then keeps them in its execution history (its database), readable by anyone who can open this workflow's executions. Off: the output has a masked hint only. Never when an AI agent calls this node as a tool.",
    displayOptions: { show: forEnrolV2 },
  },
];
