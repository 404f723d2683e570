// Types for demo-credentials.js.
import type { DemoCredential } from './demo';

export const DEMO_CREDENTIAL_IDS: Readonly<{ sandboxSmpp: string; otpSettings: string; redis: string }>;
export const DEMO_SHORT_CODE: string;
export function demoCredentials(options: {
  smppHost?: string;
  smppPort: number;
  account: { systemId: string; password: string };
  otpServerKey: string;
  redis?: { host: string; port: number } | null;
}): DemoCredential[];
