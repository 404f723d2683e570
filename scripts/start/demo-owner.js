'use strict';
// Gets a logged-in REST client for the demo owner: creates the owner on a fresh n8n (so the
// editor opens at the login page instead of the setup screen), logs in on later starts.

const { N8nRestClient, setupOwner } = require('../n8n/instance');

/**
 * @param {string} url the n8n base URL
 * @param {{ email: string, password: string, firstName: string, lastName: string }} owner
 * @returns {Promise<{ client: N8nRestClient, created: boolean }>}
 */
async function ensureDemoOwner(url, owner) {
  const anonymous = new N8nRestClient(url);
  const settings = await anonymous.get('/rest/settings');
  if (settings && settings.userManagement && settings.userManagement.showSetupOnFirstLoad === true) {
    return { client: await setupOwner(url, owner), created: true };
  }
  try {
    await anonymous.login(owner.email, owner.password);
  } catch (error) {
    if (error && error.status === 401) {
      throw new Error(
        `could not log in to n8n as ${owner.email} with the password saved in demo-secrets.json ` +
          '(was it changed in the editor?). Put the new password into that file, or delete the demo folder (.n8n-demo) to start afresh.',
      );
    }
    throw error;
  }
  return { client: anonymous, created: false };
}

module.exports = { ensureDemoOwner };
