'use strict';
// Takes the README screenshots with the project's own code: starts the demo (scripts/start/demo.js)
// in a temporary folder, runs the example workflows against the sandbox, and photographs the n8n
// canvas (logged in as the demo owner) and the phone inbox page with headless Chromium.
//
//   node scripts/screenshots.js        writes docs/screenshots/*.png
//
// Environment: CHROMIUM_PATH (default /usr/bin/chromium), SCREENSHOTS_DIR (default docs/screenshots).

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ensureDeps, root } = require('./ensure-deps');
const { buildIfStale } = require('./start/build-freshness');

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-quic',
  '--disable-sync',
];
const OUTPUT_DIR = path.resolve(process.env.SCREENSHOTS_DIR || path.join(root, 'docs', 'screenshots'));
const VIEWPORT = { width: 1440, height: 900 };
// Phones of the story: two on the alert list reply to the alert, one logs in and gets a parcel.
const SAFE_PHONE = '+447400100042';
const HELP_PHONE = '+447400100317';
const LOGIN_PHONE = '+447400123456';
const ALERT = 'Flood warning for the river district: move to higher ground now. Reply SAFE when you are safe.';

function say(line) {
  process.stdout.write(`[screenshots] ${line}\n`);
}

/** Posts to a demo webhook and returns the parsed answer; throws on an unexpected status. */
async function callWebhook(demo, webhookPath, body, contentType, wantStatus = 200) {
  const { callWebhookWhenLive } = require('./n8n/instance');
  const answer = await callWebhookWhenLive(demo.n8n.url, webhookPath, { method: 'POST', headers: { 'content-type': contentType }, body });
  if (answer.status !== wantStatus) throw new Error(`webhook ${webhookPath} answered ${answer.status}: ${answer.body.slice(0, 300)}`);
  return JSON.parse(answer.body);
}

/** Waits until `check()` is true (the SMS Trigger answers asynchronously). */
async function until(check, what, timeoutMs = 20000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Runs the examples so the canvas has executions and the phones have conversations. */
async function makeTraffic(demo) {
  const store = demo.sandbox.smsc.store;
  const summary = await callWebhook(demo, 'emergency-alert', ALERT, 'text/plain');
  say(`alert sent to ${summary.accepted} phones in ${summary.seconds} s`);

  await callWebhook(demo, 'login-code', JSON.stringify({ phone: LOGIN_PHONE }), 'application/json');
  const codeSms = store.list({ direction: 'mt', to: LOGIN_PHONE.slice(1) }).find((m) => m.from === 'ACME');
  const code = codeSms && /code is (\d+)\./.exec(codeSms.text);
  if (!code) throw new Error('the login code SMS did not reach the sandbox');
  await callWebhook(demo, 'login-verify', JSON.stringify({ phone: LOGIN_PHONE, code: code[1] }), 'application/json');
  await callWebhook(demo, 'notify', JSON.stringify({ to: LOGIN_PHONE, message: 'Your parcel arrives today between 2 and 4 pm.' }), 'application/json');

  for (const [phone, text] of [
    [HELP_PHONE, 'HELP'],
    [SAFE_PHONE, 'SAFE'],
  ]) {
    const answered = () => store.list({ direction: 'mt', to: phone.slice(1) }).length;
    const before = answered();
    await demo.sandbox.smsc.injectMo({ from: phone, to: 'CityAlert', text });
    await until(() => answered() > before, `the keyword workflow to answer ${text}`);
  }
}

async function signIn(page, url, owner) {
  await page.goto(`${url}/signin`);
  await page.locator('#emailOrLdapLoginId').fill(owner.email);
  await page.locator('#password').fill(owner.password);
  await page.locator('[data-test-id="form-submit-button"]').click();
  await page.waitForURL((address) => !address.pathname.includes('signin'), { timeout: 30000 });
}

/** Opens a canvas page and waits until its nodes are drawn and the view has settled. */
async function openCanvas(page, address) {
  await page.goto(address);
  await page.locator('[data-test-id="canvas-node"]').first().waitFor({ timeout: 30000 });
  await page.waitForLoadState('networkidle');
  // The canvas fits the view with an animation after the nodes appear.
  await page.waitForTimeout(1500);
}

async function shoot(page, name) {
  const file = path.join(OUTPUT_DIR, name);
  await page.screenshot({ path: file });
  say(`wrote ${path.relative(root, file)} (${Math.round(fs.statSync(file).size / 1024)} KB)`);
}

async function main() {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Chromium (apt-get install -y chromium) or set CHROMIUM_PATH`);
  ensureDeps();
  buildIfStale(root, say);
  const { chromium } = require('playwright-core');
  const { ensureN8n, dropInstanceDatabase } = require('./n8n/instance');
  const { startDemo } = require('./start/demo');

  const provisioned = await ensureN8n({ log: (line) => say(`n8n: ${line}`) });
  const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'sms-gateway-screenshots-'));
  const demo = await startDemo({ root, userFolder, sandbox: { smppPort: 0, httpPort: 0 }, provisioned, useRedis: false, log: say });
  let browser;
  try {
    fs.mkdirSync(OUTPUT_DIR, { recursive: true });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    // The inbox page is open before the traffic, so its rate chart shows the broadcast.
    const inbox = await browser.newPage({ viewport: { width: VIEWPORT.width, height: 1000 }, deviceScaleFactor: 1 });
    await inbox.goto(demo.sandbox.inboxUrl);
    await inbox.locator('#live.pill-on').waitFor({ timeout: 30000 });
    await makeTraffic(demo);
    await inbox.locator(`.phone[data-phone="${SAFE_PHONE.slice(1)}"] .bubble-in`, { hasText: 'recorded that you are safe' }).waitFor({ timeout: 30000 });
    await inbox
      .locator(`.phone[data-phone="${LOGIN_PHONE.slice(1)}"] .status-ok`)
      .first()
      .waitFor({ timeout: 30000 });
    // Let the once-a-second stats tick draw the last second of the chart.
    await inbox.waitForTimeout(1500);
    await shoot(inbox, 'phone-inbox.png');

    const page = await browser.newPage({ viewport: VIEWPORT, deviceScaleFactor: 1 });
    await signIn(page, demo.n8n.url, demo.owner);
    await openCanvas(page, `${demo.n8n.url}/workflow/smsDemoAlert0001`);
    await shoot(page, 'n8n-emergency-broadcast.png');
    const { results } = await demo.client.executions('smsDemoAlert0001');
    await openCanvas(page, `${demo.n8n.url}/workflow/smsDemoAlert0001/executions/${results[0].id}`);
    await shoot(page, 'n8n-emergency-broadcast-execution.png');
    await openCanvas(page, `${demo.n8n.url}/workflow/smsDemoOtpLogin1`);
    await shoot(page, 'n8n-two-factor-login.png');
  } finally {
    await browser?.close();
    await demo.stop();
    await dropInstanceDatabase({ provisioned, userFolder });
    fs.rmSync(userFolder, { recursive: true, force: true });
  }
}

main().catch((error) => {
  process.stderr.write(`[screenshots] failed: ${error && error.stack ? error.stack : String(error)}\n`);
  process.exit(1);
});
