/**
 * Environment n8n-core reads once, when its modules load: import this module before
 * anything from 'n8n-core' (the harness does). n8n-core's InstanceSettings writes its
 * config (with an encryption key) into N8N_USER_FOLDER, so every jest file gets its own
 * temporary folder, removed when the file's tests end.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const userFolder = mkdtempSync(join(tmpdir(), 'n8n-harness-'));
process.env.N8N_USER_FOLDER = userFolder;
process.env.N8N_DIAGNOSTICS_ENABLED = 'false';
process.env.N8N_RUNNERS_ENABLED = 'false';
process.env.N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS = 'false';

/** The temporary folder n8n-core uses as its user folder in this jest file. */
export const harnessUserFolder = userFolder;

function removeUserFolder(): void {
  rmSync(userFolder, { recursive: true, force: true });
}

// Under jest, clean up with the file's other afterAll hooks; elsewhere at process exit.
// (jest refuses hooks declared inside a running test: then fall back to process exit).
let cleanupRegistered = false;
if (typeof afterAll === 'function') {
  try {
    afterAll(removeUserFolder);
    cleanupRegistered = true;
  } catch {
    cleanupRegistered = false;
  }
}
if (!cleanupRegistered) process.once('exit', removeUserFolder);
