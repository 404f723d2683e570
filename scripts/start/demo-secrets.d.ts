// Types for demo-secrets.js.
import type { DemoOwner } from './demo';

export const DEMO_OWNER_EMAIL: string;
export function loadOrCreateSecrets(userFolder: string): { secrets: { owner: DemoOwner; otpServerKey: string }; created: boolean; file: string };
