// n8n's editor (2.40.x) in headless Chromium, driven the way a person uses it: sign in, add a node
// from the node panel by searching for it, read what its panel shows (parameter labels,
// credential slots and what each slot offers), pick options, run a step, read the output.
// Selectors are n8n's own data-test-id attributes.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
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

export interface CredentialSlot {
  /** The slot's label, e.g. "SMPP Carrier". */
  label: string;
  /** What the picker offers: each credential's name and type, e.g. "Sandbox carrier · SMPP Carrier". */
  offers: Array<{ name: string; type: string }>;
}

export class EditorPage {
  private constructor(
    private readonly browser: Browser,
    readonly page: Page,
    private readonly baseUrl: string,
  ) {}

  static async open(baseUrl: string, owner: { email: string; password: string }): Promise<EditorPage> {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Chromium (apt-get install -y chromium) or set CHROMIUM_PATH`);
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, deviceScaleFactor: 1 });
      // Leaving a workflow with unsaved changes asks "leave the page?": yes, each test starts afresh.
      page.on('dialog', (dialog) => void dialog.accept());
      page.setDefaultTimeout(20_000);
      // The editor's first load (several MB of scripts) took over 20 s on a busy 2-core machine.
      await page.goto(`${baseUrl}/signin`, { timeout: 120_000 });
      await page.locator('#emailOrLdapLoginId').fill(owner.email, { timeout: 60_000 });
      await page.locator('#password').fill(owner.password);
      await page.locator('[data-test-id="form-submit-button"]').click();
      await page.waitForURL((address) => !address.pathname.includes('signin'), { timeout: 60_000 });
      return new EditorPage(browser, page, baseUrl);
    } catch (error) {
      // Nobody else holds the browser yet: left open, it kept jest from exiting after the failure.
      await browser.close().catch(() => undefined);
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.browser.close();
  }

  /**
   * A new workflow with one node added from the node panel: search for `name`, pick it and, for a
   * node with actions, the action; its panel opens (an action node on an empty canvas gets a
   * manual trigger in front of it, as n8n does).
   */
  async addNode(name: string, action?: string): Promise<void> {
    await this.page.goto(`${this.baseUrl}/workflow/new`, { timeout: 60_000 });
    await this.page.locator('[data-test-id="canvas-add-button"]').click({ timeout: 60_000 });
    await this.page.locator('[data-test-id="node-creator-search-bar"]').fill(name);
    await this.page.locator('[data-test-id="node-creator-item-name"]', { hasText: name }).first().click();
    // A node with actions (operations, or a trigger's events) lists them; one is picked as a person would.
    if (action) await this.page.locator('[data-test-id="node-creator"]').getByText(action, { exact: true }).click();
    await this.page.locator('[data-test-id="ndv"]').waitFor();
    await this.settle();
  }

  /** The names the node panel lists for a search on a new workflow's first step (triggers first). */
  async searchNodePanel(text: string): Promise<string[]> {
    await this.page.goto(`${this.baseUrl}/workflow/new`, { timeout: 60_000 });
    await this.page.locator('[data-test-id="canvas-add-button"]').click({ timeout: 60_000 });
    await this.page.locator('[data-test-id="node-creator-search-bar"]').fill(text);
    await this.page.locator('[data-test-id="node-creator-item-name"]').first().waitFor();
    await this.settle();
    return (await this.page.locator('[data-test-id="node-creator-item-name"]:visible').allInnerTexts()).map((name) => name.trim());
  }

  /** The labels the Parameters tab shows, top to bottom (credential slots included). */
  async labels(): Promise<string[]> {
    return this.page.$$eval('[data-test-id="ndv"] [data-test-id="node-parameters"] [data-test-id="parameter-item"]', (items) => {
      const out: string[] = [];
      for (const item of items) {
        if (!(item as HTMLElement).offsetParent) continue;
        for (const label of Array.from(
          item.querySelectorAll('[data-test-id="credentials-label"], [data-test-id="input-label"] label, .n8n-input-label label'),
        )) {
          if (!(label as HTMLElement).offsetParent) continue;
          const text = (label.textContent ?? '').replace(/Fixed\s*Expression$/, '').trim();
          if (text && !out.includes(text)) out.push(text);
        }
      }
      return out;
    });
  }

  /** Each credential slot with what its picker offers (opened, read, closed). */
  async credentialSlots(): Promise<CredentialSlot[]> {
    const slots = this.page.locator('[data-test-id="ndv"] [data-test-id="node-credentials-slot"]:visible');
    const result: CredentialSlot[] = [];
    for (let i = 0; i < (await slots.count()); i++) {
      const slot = slots.nth(i);
      const label = ((await slot.locator('[data-test-id="credentials-label"]').textContent()) ?? '').trim();
      const items = this.page.locator('[data-test-id^="node-credentials-select-item-"]:visible');
      const known = this.page.locator('[data-test-id^="node-credentials-select-item-"]:not([data-test-id="node-credentials-select-item-new"]):visible');
      // The picker opens on a click; a click while the last one still closes can be lost, so try again.
      for (let attempt = 0; attempt < 3 && (await known.count()) === 0; attempt++) {
        await slot.locator('[data-test-id="node-credentials-select"]').click();
        await known
          .first()
          .waitFor({ timeout: 5_000 })
          .catch(() => undefined);
      }
      const offers: CredentialSlot['offers'] = [];
      for (let k = 0; k < (await items.count()); k++) {
        const testId = await items.nth(k).getAttribute('data-test-id');
        if (testId === 'node-credentials-select-item-new') continue;
        const text = ((await items.nth(k).innerText()) ?? '').replace(/\s+/g, ' ').trim();
        // Each entry shows the credential's name, then its type's display name.
        const type =
          ['SMPP Carrier', 'GSM Modem', 'SMPP Server Account', 'SMS OTP Settings', 'SMS Gateway Redis', 'SMS Gateway PostgreSQL'].find((t) =>
            text.endsWith(t),
          ) ?? '?';
        offers.push({ name: text.slice(0, text.length - type.length).trim(), type });
      }
      await this.page.keyboard.press('Escape');
      await this.settle();
      result.push({ label, offers });
    }
    return result;
  }

  /** The option labels of an options parameter, as its dropdown lists them. */
  async optionsOf(parameter: string): Promise<string[]> {
    await this.page.locator(`[data-test-id="ndv"] [data-test-id="parameter-input-${parameter}"]:visible`).click();
    const headlines = this.page.locator('[data-test-id="parameter-input-item"]:visible .option-headline');
    await headlines.first().waitFor();
    const options = (await headlines.allInnerTexts()).map((t) => t.trim());
    await this.page.keyboard.press('Escape');
    await this.settle();
    return options;
  }

  /** Picks an option of an options parameter by its label. */
  async choose(parameter: string, option: string): Promise<void> {
    await this.page.locator(`[data-test-id="ndv"] [data-test-id="parameter-input-${parameter}"]:visible`).click();
    await this.page.locator('[data-test-id="parameter-input-item"]:visible .option-headline').getByText(option, { exact: true }).click();
    await this.settle();
  }

  /** Types into a text parameter (its fixed-value field). */
  async fill(parameter: string, value: string): Promise<void> {
    const field = this.page.locator(`[data-test-id="ndv"] [data-test-id="parameter-input-${parameter}"]:visible`).locator('input, textarea').first();
    await field.click();
    await field.fill(value);
    await this.page.locator('[data-test-id="ndv"] [data-test-id="node-parameters"]').click({ position: { x: 5, y: 5 } });
    await this.settle();
  }

  /** What a parameter's row shows in words: its label, its hint and notices (not the placeholder). */
  async textOf(parameter: string): Promise<string> {
    const item = this.page.locator('[data-test-id="ndv"] [data-test-id="parameter-item"]:visible', {
      has: this.page.locator(`[data-test-id="parameter-input-${parameter}"]`),
    });
    return (await item.first().innerText()).replace(/\s+/g, ' ').trim();
  }

  /** Scrolls the panel to a parameter, so a screenshot shows it. */
  async scrollTo(parameter: string): Promise<void> {
    await this.page.locator(`[data-test-id="ndv"] [data-test-id="parameter-input-${parameter}"]:visible`).first().scrollIntoViewIfNeeded();
    await this.settle();
  }

  /** The subtitle under the node on the canvas (the panel closed). */
  async canvasSubtitle(nodeName: string): Promise<string> {
    await this.closePanel();
    const node = this.page.locator('[data-test-id="canvas-node"]', { hasText: nodeName });
    return ((await node.locator('[class*="_subtitle_"]').first().textContent()) ?? '').trim();
  }

  async closePanel(): Promise<void> {
    const close = this.page.locator('[data-test-id="ndv-close-button"]');
    if (await close.isVisible()) await close.click();
    await this.settle();
  }

  /** Runs the open node ("Execute step") and returns the text of its output panel once it shows data. */
  async executeStep(): Promise<string> {
    await this.page.locator('[data-test-id="ndv"] [data-test-id="node-execute-button"]').click();
    const output = this.page.locator('[data-test-id="ndv"] [data-test-id="output-panel"]');
    // Done when the output shows items (or an error), no longer "No output data" or a spinner.
    const deadline = Date.now() + 60_000;
    let text = '';
    while (Date.now() < deadline) {
      text = (await output.innerText()).replace(/\s+/g, ' ');
      if (/\d+ items?|error|Error/.test(text) && !/Executing|Loading/.test(text)) break;
      await this.page.waitForTimeout(250);
    }
    return text;
  }

  /** Shows the output panel as JSON and returns it. */
  async outputJson(): Promise<string> {
    const output = this.page.locator('[data-test-id="ndv"] [data-test-id="output-panel"]');
    await output.locator('[data-test-id="radio-button-json"]').click();
    // The JSON view draws after the switch: wait for the first item's opening brace.
    const deadline = Date.now() + 10_000;
    let text = '';
    while (Date.now() < deadline && !text.includes('{')) {
      await this.settle();
      text = (await output.innerText()).replace(/\s+/g, ' ');
    }
    return text;
  }

  /**
   * Opens a saved credential's dialog as from the Credentials list and returns its fields, top to
   * bottom: each label, the value its input holds, and the words its row shows.
   */
  async openCredential(id: string): Promise<Array<{ label: string; value: string; text: string }>> {
    await this.page.goto(`${this.baseUrl}/home/credentials/${id}`, { timeout: 60_000 });
    const dialog = this.page.locator('[data-test-id="credential-edit-dialog"]');
    await dialog.waitFor({ timeout: 60_000 });
    await dialog.locator('label').first().waitFor();
    await this.settle();
    return dialog.locator('label').evaluateAll((labels) => {
      const out: Array<{ label: string; value: string; text: string }> = [];
      for (const label of labels) {
        // The label holds the Fixed/Expression switch and a required field's asterisk too.
        const name = (label.textContent ?? '')
          .replace(/Fixed\s*Expression$/, '')
          .trim()
          .replace(/\s*\*$/, '');
        if (!name || out.some((o) => o.label === name)) continue;
        // The field's row: the nearest ancestor that holds an input (or a switch).
        let row: HTMLElement | null = label.parentElement;
        while (row && !row.querySelector('input, textarea, [role="switch"]')) row = row.parentElement;
        const input = row?.querySelector('input, textarea') as HTMLInputElement | null;
        out.push({ label: name, value: input?.value ?? '', text: (row?.innerText ?? '').replace(/\s+/g, ' ').trim() });
      }
      return out;
    });
  }

  /** What the open credential dialog says of n8n's test of the credential (our `methods.credentialTest`). */
  async credentialTestBanner(): Promise<string> {
    const banner = this.page.locator('[data-test-id="credential-edit-dialog"]').getByText(/Connection tested successfully|Couldn.t connect/);
    await banner.first().waitFor({ timeout: 30_000 });
    return (await banner.first().innerText()).trim();
  }

  /** Scrolls the open credential dialog to a field, so a screenshot shows it. */
  async scrollCredentialTo(label: string): Promise<void> {
    const found = await this.page.locator('[data-test-id="credential-edit-dialog"] label').evaluateAll((labels, text) => {
      const target = labels.find((l) => (l.textContent ?? '').trim().startsWith(text));
      target?.scrollIntoView({ block: 'center' });
      return target !== undefined;
    }, label);
    if (!found) throw new Error(`the credential dialog has no field "${label}"`);
    await this.settle();
  }

  /** A screenshot of the whole page (the node's panel open) into `dir`. */
  async screenshot(dir: string, file: string): Promise<string> {
    fs.mkdirSync(dir, { recursive: true });
    const target = path.join(dir, file);
    await this.page.screenshot({ path: target });
    return target;
  }

  /** Lets the panel redraw after a change (n8n throttles parameter updates by ~200 ms). */
  private async settle(): Promise<void> {
    await this.page.waitForTimeout(400);
  }
}
