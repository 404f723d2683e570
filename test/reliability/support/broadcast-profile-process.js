'use strict';
/**
 * Runs one broadcast profile (broadcast-profile.ts) in a fresh node process started with
 * --expose-gc, so memory is measured without jest's own hundreds of megabytes and with real
 * collections: "live" readings are taken after global.gc(). Request over IPC: { count,
 * windowSize }; reply: the profile, or { error }.
 */
require('../../fixtures/otp/typescript-require-hook');
const { profileBroadcast } = require('./broadcast-profile.ts');

process.once('message', (request) => {
  profileBroadcast(request.count, request.windowSize).then(
    (profile) => process.send({ profile }, () => process.exit(0)),
    (err) => process.send({ error: (err && err.stack) || String(err) }, () => process.exit(1)),
  );
});
