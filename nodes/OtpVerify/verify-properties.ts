/** OTP Verify's parameters: SMS code, authenticator code, cancel. */
import type { INodeProperties } from 'n8n-workflow';
import { channelProperty, otpStateStoreProperty, phoneNumberProperty } from '../shared/otp/otp-properties';

export const VERIFY_SMS_CODE = 'verifySmsCode';
export const VERIFY_AUTHENTICATOR_CODE = 'verifyAuthenticatorCode';
export const CANCEL = 'cancel';
export const AUTHENTICATOR_STATUS = 'authenticatorStatus';
export const REMOVE_AUTHENTICATOR = 'removeAuthenticator';

export const APPROVED_OUTPUT = 0;
export const REJECTED_OUTPUT = 1;

const driftOption: INodeProperties = {
  displayName: 'Allowed Clock Drift (Steps)',
  name: 'window',
  type: 'number',
  default: 1,
  typeOptions: { minValue: 0, maxValue: 10 },
  description: '30-second steps accepted before and after the current one; 1 accepts the previous and next code',
};

const smsOperations = { operation: [VERIFY_SMS_CODE, CANCEL] };
const withCode = { operation: [VERIFY_SMS_CODE, VERIFY_AUTHENTICATOR_CODE] };
const forTotp = { operation: [VERIFY_AUTHENTICATOR_CODE] };
/** Version 1 checks a secret the workflow passes itself (kept for saved workflows). */
const forTotpV1 = { ...forTotp, '@version': [1] };
/** From version 2 the secret is the one OTP Issue stored at enrolment, found by User ID. */
const forTotpV2 = { ...forTotp, '@version': [{ _cnd: { gte: 2 } }] };
/** Operations on a user's stored authenticator (any version: the store is the one version 2 enrols into). */
const forEnrolment = { operation: [AUTHENTICATOR_STATUS, REMOVE_AUTHENTICATOR] };

/** Limits on wrong authenticator codes, in both versions. */
const wrongCodeLimits: INodeProperties[] = [
  {
    displayName: 'Max Wrong Codes',
    name: 'maxFailures',
    type: 'number',
    default: 5,
    typeOptions: { minValue: 1, maxValue: 100 },
    description:
      'Wrong codes a user may enter in any Wrong-Code Period; while that many count, every check is refused unevaluated (Rejected, reason too_many_attempts, with retryAfterSeconds)',
  },
  {
    displayName: 'Wrong-Code Period (Minutes)',
    name: 'failurePeriodMinutes',
    type: 'number',
    default: 15,
    typeOptions: { minValue: 1, maxValue: 1440 },
    description: 'Wrong codes count for this long each: at most Max Wrong Codes in any such period, sliding',
  },
];

export const verifyProperties: INodeProperties[] = [
  {
    displayName: 'Operation',
    name: 'operation',
    type: 'options',
    noDataExpression: true,
    default: VERIFY_SMS_CODE,
    options: [
      {
        name: 'Cancel',
        value: CANCEL,
        action: 'Cancel a pending SMS verification',
        description: 'End the pending verification of this number; items leave on Approved if one was canceled, else on Rejected',
      },
      {
        name: 'Get Authenticator Status',
        value: AUTHENTICATOR_STATUS,
        action: 'Get whether a user has an authenticator',
        description: 'Whether the user has a confirmed authenticator (Approved output) or only a pending one or none (Rejected); never the secret',
      },
      {
        name: 'Remove Authenticator',
        value: REMOVE_AUTHENTICATOR,
        action: 'Remove the authenticator of a user',
        description: "Forget the user's authenticator, confirmed and pending (Approved output), or say there was none (Rejected). Wrong codes keep counting.",
      },
      {
        name: 'Verify Authenticator Code',
        value: VERIFY_AUTHENTICATOR_CODE,
        action: 'Verify an authenticator app code',
        description: 'Check a 6-digit TOTP code of the authenticator enrolled for a user; the first good code of a new enrolment confirms it',
      },
      { name: 'Verify SMS Code', value: VERIFY_SMS_CODE, action: 'Verify an SMS code', description: 'Check the code Issue OTP sent to this number' },
    ],
  },
  phoneNumberProperty(smsOperations),
  channelProperty(smsOperations),
  {
    displayName: 'Code',
    name: 'code',
    type: 'string',
    default: '',
    required: true,
    placeholder: '123456',
    description: 'The code the user entered (digits; spaces are ignored)',
    displayOptions: { show: withCode },
  },
  {
    displayName: 'Secret',
    name: 'secret',
    type: 'string',
    typeOptions: { password: true },
    default: '',
    required: true,
    description: 'The Base32 secret stored for this user at enrolment (map it from your user store)',
    displayOptions: { show: forTotpV1 },
  },
  {
    displayName: 'User ID',
    name: 'userId',
    type: 'string',
    default: '',
    required: true,
    placeholder: 'user-42',
    description: 'The User ID Issue OTP enrolled the authenticator for',
    displayOptions: { show: forTotpV2 },
  },
  {
    displayName: 'User ID',
    name: 'userId',
    type: 'string',
    default: '',
    required: true,
    placeholder: 'user-42',
    description: 'The User ID Issue OTP enrolled the authenticator for',
    displayOptions: { show: forEnrolment },
  },
  // Version 1's authenticator check had no State Store until 2026-12-02: its saved workflows keep Memory, the default.
  otpStateStoreProperty({ operation: [VERIFY_SMS_CODE, CANCEL, VERIFY_AUTHENTICATOR_CODE, AUTHENTICATOR_STATUS, REMOVE_AUTHENTICATOR] }),
  {
    displayName: 'Options',
    name: 'options',
    type: 'collection',
    placeholder: 'Add Option',
    default: {},
    displayOptions: { show: smsOperations },
    options: [
      {
        displayName: 'Default Country',
        name: 'defaultCountry',
        type: 'string',
        default: '',
        placeholder: 'DE',
        description: "ISO country for national numbers; overrides the SMS OTP Settings credential's",
      },
    ],
  },
  {
    displayName: 'Options',
    name: 'totpOptions',
    type: 'collection',
    placeholder: 'Add Option',
    default: {},
    displayOptions: { show: forTotpV1 },
    options: [
      driftOption,
      {
        displayName: 'Last Accepted Time Step',
        name: 'afterTimeStep',
        type: 'number',
        default: 0,
        typeOptions: { minValue: 0 },
        description:
          "Replay protection: the timeStep of this user's last accepted code (stored from an earlier output); codes of that step or older are rejected. 0 turns it off.",
      },
      ...wrongCodeLimits,
    ],
  },
  {
    displayName: 'Options',
    name: 'totpOptions',
    type: 'collection',
    placeholder: 'Add Option',
    default: {},
    displayOptions: { show: forTotpV2 },
    options: [
      driftOption,
      ...wrongCodeLimits,
      {
        displayName: 'Refuse a Reused Code',
        name: 'rejectReplay',
        type: 'boolean',
        default: true,
        description:
          "Whether a code of a time step already accepted for this user is refused (reason already_used), so a code seen over someone's shoulder cannot be used again",
      },
    ],
  },
];
