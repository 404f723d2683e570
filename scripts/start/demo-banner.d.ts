// Types for demo-banner.js.
export function demoBanner(info: {
  editorUrl: string;
  inboxUrl: string | null;
  smppHost: string;
  smppPort: number;
  account: { systemId: string };
  owner: { email: string; password: string };
  ownerCreated: boolean;
  secretsFile: string;
  examples: Array<{ id: string; name: string; webhooks: Array<{ method: string; path: string }>; hasSmsTrigger: boolean }>;
  activation: Array<{ id: string; error?: string }>;
  skipped: Array<{ file: string; reason: string }>;
  redis: boolean;
}): string[];
