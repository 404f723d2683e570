'use strict';
// The demo's own secrets, made once per user folder and kept in `<userFolder>/demo-secrets.json`
// (mode 0600; `.n8n-demo/` is git-ignored): the demo owner's login and the OTP signing key.

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const DEMO_OWNER_EMAIL = 'demo@example.com';

/** n8n wants 8-64 characters with a digit and an upper-case letter. */
function newOwnerPassword() {
  return `Demo-${crypto.randomBytes(9).toString('base64url')}-7K`;
}

function isSecrets(value) {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof value.otpServerKey === 'string' &&
    value.owner !== null &&
    typeof value.owner === 'object' &&
    ['email', 'password', 'firstName', 'lastName'].every((field) => typeof value.owner[field] === 'string' && value.owner[field] !== '')
  );
}

/**
 * Reads the secrets of this user folder, or creates them on the first start.
 * @param {string} userFolder
 * @returns {{ secrets: { owner: { email: string, password: string, firstName: string, lastName: string },
 *   otpServerKey: string }, created: boolean, file: string }}
 */
function loadOrCreateSecrets(userFolder) {
  const file = path.join(userFolder, 'demo-secrets.json');
  if (fs.existsSync(file)) {
    let parsed;
    try {
      parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (error) {
      throw new Error(`${file} is not valid JSON (${error.message}); delete it and the folder ${userFolder} to start the demo afresh`);
    }
    if (!isSecrets(parsed)) {
      throw new Error(`${file} lacks owner.email/password/firstName/lastName or otpServerKey; delete the folder ${userFolder} to start the demo afresh`);
    }
    return { secrets: parsed, created: false, file };
  }
  const secrets = {
    owner: { email: DEMO_OWNER_EMAIL, password: newOwnerPassword(), firstName: 'Demo', lastName: 'Owner' },
    // 32 random bytes in hex, as the credential's help suggests (openssl rand -hex 32).
    otpServerKey: crypto.randomBytes(32).toString('hex'),
  };
  fs.mkdirSync(userFolder, { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  return { secrets, created: true, file };
}

module.exports = { loadOrCreateSecrets, DEMO_OWNER_EMAIL };
