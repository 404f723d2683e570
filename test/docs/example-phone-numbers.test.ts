/**
 * Every phone number shown as an example (a placeholder, a hint, an error's "e.g.", the inbox page,
 * the troubleshooting table) is one our own validation accepts. A user copies the placeholder to
 * try a node: Ofcom's drama range (+44 7700 900xxx) looks right but is "not a number in use", so
 * the first send would fail on our own example.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CountryCode } from 'libphonenumber-js';
import { normalizePhoneNumber } from '../../src/phone';

const ROOT = path.join(__dirname, '..', '..');

/** What users see: node and credential descriptions, the core's messages, the inbox page, the docs. */
const SOURCES = ['nodes', 'credentials', 'src', 'README.md', 'docs', 'test/security'];
// The modem simulator's SMSC addresses are the simulated network's own, never shown as examples.
const SKIP = [path.join('src', 'transport', 'modem', 'simulator')];

function filesUnder(relative: string): string[] {
  const full = path.join(ROOT, relative);
  if (SKIP.some((skip) => relative.startsWith(skip))) return [];
  if (fs.statSync(full).isFile()) return [relative];
  return fs.readdirSync(full).flatMap((entry) => filesUnder(path.join(relative, entry)));
}

interface Example {
  file: string;
  number: string;
  country?: CountryCode;
}

// "+447400 123456", "+4915112345678"; national ones only where the text names their country:
// "07911 123456 in GB". In README and docs, only the ones given as examples ("e.g. +44...").
const INTERNATIONAL = /\+\d[\d ]{8,}\d/g;
const NATIONAL = /\b(0\d{2,4} \d{5,8}) in ([A-Z]{2})\b/g;
const EXAMPLE_ONLY = /e\.g\.,? (\+\d[\d ]{8,}\d)/g;

function examplesIn(file: string): Example[] {
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
  const prose = file.endsWith('.md') || file.startsWith(path.join('test', 'security'));
  const international = prose ? [...text.matchAll(EXAMPLE_ONLY)].map((m) => m[1]) : [...text.matchAll(INTERNATIONAL)].map((m) => m[0]);
  return [
    ...international.map((number) => ({ file, number })),
    ...[...text.matchAll(NATIONAL)].map((m) => ({ file, number: m[1], country: m[2] as CountryCode })),
  ];
}

const examples = SOURCES.flatMap(filesUnder)
  .filter((file) => /\.(ts|html|md)$/.test(file))
  .flatMap(examplesIn);

function verdict(example: Example): string {
  try {
    normalizePhoneNumber(example.number, { defaultCountry: example.country });
    return 'accepted';
  } catch (error) {
    return (error as Error).message;
  }
}

describe('example phone numbers', () => {
  it('finds the examples users see (placeholders of To, Only From and the inbox page among them)', () => {
    const files = new Set(examples.map((e) => e.file));
    for (const file of [
      'nodes/SendSms/send-sms-properties.ts',
      'nodes/SmsTrigger/trigger-properties.ts',
      'src/sandbox/http/static/index.html',
      'credentials/SmppApi.credentials.ts',
    ]) {
      expect(files).toContain(file);
    }
    expect(examples.length).toBeGreaterThan(15);
  });

  it.each(examples.map((e) => [`${e.file}: ${e.number}`, e] as const))('%s passes our own validation', (_label, example) => {
    expect({ ...example, verdict: verdict(example) }).toEqual({ ...example, verdict: 'accepted' });
  });
});
