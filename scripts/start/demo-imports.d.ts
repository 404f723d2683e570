// Types for demo-imports.js.
import type { N8nRestClient } from '../n8n/instance';

export function importFingerprint(credentials: unknown[], examples: Array<{ workflow: unknown }>): string;
export function workflowState(client: N8nRestClient, id: string): Promise<{ exists: boolean; active: boolean }>;
export function syncImports(options: {
  client: N8nRestClient;
  cli: (args: string[]) => Promise<{ ms: number }>;
  userFolder: string;
  credentials: Array<{ id: string }>;
  examples: Array<{ id: string; name: string; workflow: object }>;
  log: (line: string) => void;
}): Promise<{ imported: boolean; reason: string }>;
export function activateWorkflows(
  client: N8nRestClient,
  examples: Array<{ id: string; name: string }>,
): Promise<Array<{ id: string; name: string; activated: boolean; error?: string }>>;
