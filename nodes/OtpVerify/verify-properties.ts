/** OTP Verify's parameters: SMS code, authenticator code, cancel. */
import type { INodeProperties } from 'n8n-workflow';
import { channelProperty, otpStateStoreProperty, phoneNumberProperty } from '../shared/otp-properties';

export const VERIFY_SMS_CODE = 'verifySmsCode';
export const VERIFY_AUTHENTICATOR_CODE = 'verifyAuthenticatorCode';
export const CANCEL = 'cancel';

export const APPROVED_OUTPUT = 0;
export const REJECTED_OUTPUT = 1;

const smsOperations = { operation: [VERIFY_SMS_CODE, CANCEL] };
const withCode = { operation: [VERIFY_SMS_CODE, VERIFY_AUTHENTICATOR_CODE] };
const forTotp = { operation: [VERIFY_AUTHENTICATOR_CODE] };

export const verifyProperties: INodeProperties[] = [
  {
    displayName: 'Operation', name: 'operation', type: 'options', noDataExpression: true, default: VERIFY_SMS_CODE,
    options: [
      {
        name: 'Cancel', value: CANCEL, action: 'Cancel a pending SMS verification',
        description: 'End the pending verification of this number; items leave on Approved if one was canceled, else on Rejected',
      },
      {
        name: 'Verify Authenticator Code', value: VERIFY_AUTHENTICATOR_CODE, action: 'Verify an authenticator app code',
        description: 'Check a 6-digit TOTP code against the secret stored at enrolment',
      },
      { name: 'Verify SMS Code', value: VERIFY_SMS_CODE, action: 'Verify an SMS code', description: 'Check the code OTP Issue sent to this number' },
    ],
  },
  phoneNumberProperty(smsOperations),
  channelProperty(smsOperations),
  {
    displayName: 'Code', name: 'code', type: 'string', default: '', required: true, placeholder: '123456',
    description: 'The code the user entered (digits; spaces are ignored)', displayOptions: { show: withCode },
  },
  {
    displayName: 'Secret', name: 'secret', type: 'string', typeOptions: { password: true }, default: '', required: true,
    description: 'The Base32 secret stored for this user at enrolment (map it from your user store)', displayOptions: { show: forTotp },
  },
  otpStateStoreProperty(smsOperations),
  {
    displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add Option', default: {}, displayOptions: { show: smsOperations },
    options: [
      { displayName: 'Default Country', name: 'defaultCountry', type: 'string', default: '', placeholder: 'DE', description: 'ISO country for national numbers; overrides the SMS OTP Settings credential\'s' },
    ],
  },
  {
    displayName: 'Options', name: 'totpOptions', type: 'collection', placeholder: 'Add Option', default: {}, displayOptions: { show: forTotp },
    options: [
      {
        displayName: 'Allowed Clock Drift (Steps)', name: 'window', type: 'number', default: 1, typeOptions: { minValue: 0, maxValue: 10 },
        description: '30-second steps accepted before and after the current one; 1 accepts the previous and next code',
      },
      {
        displayName: 'Last Accepted Time Step', name: 'afterTimeStep', type: 'number', default: 0, typeOptions: { minValue: 0 },
        description: 'Replay protection: the timeStep of this user\'s last accepted code (stored from an earlier output); codes of that step or older are rejected. 0 turns it off.',
      },
    ],
  },
];
