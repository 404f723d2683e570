import type { Locator } from 'playwright-core';

/**
 * Web-first assertions for playwright-core (it ships without @playwright/test's expect): poll the
 * page until the value is the wanted one, then assert once so a failure shows the real value.
 */
async function eventually<V>(read: () => Promise<V>, want: V, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (value !== want && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    value = await read();
  }
  expect(value).toBe(want);
}

export const expectCount = (locator: Locator, n: number): Promise<void> => eventually(() => locator.count(), n);
export const expectText = (locator: Locator, text: string): Promise<void> => eventually(async () => (await locator.textContent()) ?? '', text);
export const expectValue = (locator: Locator, value: string): Promise<void> => eventually(() => locator.inputValue(), value);
export const expectAttribute = (locator: Locator, name: string, value: string): Promise<void> =>
  eventually(async () => (await locator.getAttribute(name)) ?? '', value);
