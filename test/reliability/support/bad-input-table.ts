/**
 * The bad-input table: each test file of test/security/bad-input*.test.ts records what users
 * see for each bad value, and every file's rows are merged into one JSON file that
 * scripts/gen-troubleshooting.js turns into docs/troubleshooting-table.md.
 *
 * Jest runs test files in parallel worker processes, so the merge takes a lock (an exclusive
 * mkdir) around read-modify-write, and writes through a rename so a reader never sees half a file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const BAD_INPUT_TABLE_PATH = path.resolve(__dirname, '../../../test-output/bad-input-table.json');
const LOCK_PATH = `${BAD_INPUT_TABLE_PATH}.lock`;
/** A lock older than this belongs to a worker that died mid-write. */
const STALE_LOCK_MS = 30_000;

/** One bad value as the user meets it: where they typed it, and what they were told. */
export interface ObservedRow {
  /** Node or credential, as the n8n editor names it ('Send SMS', 'SMPP Carrier credential'). */
  component: string;
  /** The field label as shown in the editor. */
  field: string;
  /** The bad value, as text a reader recognises. */
  badValue: string;
  /** The message n8n shows (error message, credential test answer, or an error item's text). */
  message: string;
  /** n8n's error description (the hint under the message), when there is one. */
  description?: string;
  /** The pattern the test asserted against the message. */
  expected: string;
  /** What the user should do. */
  fix: string;
}

export interface BadInputTable {
  note: string;
  /** Sections by name (one per test file), rows in the order the file declares them. */
  sections: Record<string, ObservedRow[]>;
}

function readTable(): BadInputTable {
  try {
    const parsed = JSON.parse(fs.readFileSync(BAD_INPUT_TABLE_PATH, 'utf8')) as BadInputTable;
    if (parsed && typeof parsed.sections === 'object') return parsed;
  } catch {
    // missing or unreadable: start afresh
  }
  return { note: 'Written by test/security/bad-input*.test.ts; rendered by scripts/gen-troubleshooting.js', sections: {} };
}

async function withLock<T>(work: () => T): Promise<T> {
  fs.mkdirSync(path.dirname(BAD_INPUT_TABLE_PATH), { recursive: true });
  for (;;) {
    try {
      fs.mkdirSync(LOCK_PATH);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const age = Date.now() - (fs.statSync(LOCK_PATH, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > STALE_LOCK_MS) fs.rmSync(LOCK_PATH, { recursive: true, force: true });
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  try {
    return work();
  } finally {
    fs.rmSync(LOCK_PATH, { recursive: true, force: true });
  }
}

/** Replaces one section of the table with `rows` (other files' sections are kept). */
export async function recordSection(section: string, rows: ObservedRow[]): Promise<void> {
  await withLock(() => {
    const table = readTable();
    table.sections[section] = rows;
    const temporary = `${BAD_INPUT_TABLE_PATH}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, `${JSON.stringify(table, null, 2)}\n`);
    fs.renameSync(temporary, BAD_INPUT_TABLE_PATH);
  });
}

/**
 * Resolves with `work`'s result, or rejects when it takes longer than `ms`: a bad value must
 * give an answer, never a hang. The deadline is well below jest's timeout so the failure names
 * the case instead of jest's generic timeout.
 */
export async function within<T>(ms: number, what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms (it hangs)`)), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
