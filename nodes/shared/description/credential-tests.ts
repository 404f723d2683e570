import { gsmModemApiTest } from '../credentials/modem-credential-test';
import { smsOtpApiTest } from '../credentials/otp-credential-test';
import { smsGatewayPostgresApiTest } from '../credentials/postgres-credential-test';
import { smsGatewayRedisApiTest } from '../credentials/redis-credential-test';
import { smppApiTest } from '../credentials/smpp-credential-test';

/**
 * `methods.credentialTest` of the nodes, by the slots they have: each slot's literal `testedBy`
 * names one of these (n8n runs it from the credential dialog).
 */

/** Nodes that open a transport: SMPP carrier, GSM modem, Redis state store (Send SMS, Broadcast Alert; the SMS Trigger adds its server account). */
export const TRANSPORT_CREDENTIAL_TESTS = { smppApiTest, gsmModemApiTest, smsGatewayRedisApiTest };

/** The OTP node that sends codes: the transports' tests and the SMS OTP settings (Issue OTP). */
export const OTP_SENDER_CREDENTIAL_TESTS = { ...TRANSPORT_CREDENTIAL_TESTS, smsOtpApiTest };

/** OTP nodes that never send: the SMS OTP settings and Redis (Verify OTP). */
export const OTP_CHECKER_CREDENTIAL_TESTS = { smsOtpApiTest, smsGatewayRedisApiTest };

/** Broadcast Alert: the transports' tests and the database its recipients may come from. */
export const BROADCAST_CREDENTIAL_TESTS = { ...TRANSPORT_CREDENTIAL_TESTS, smsGatewayPostgresApiTest };
