// Types for example-workflows.js.
import type { DemoExample } from './demo';

export function loadExampleWorkflows(examplesDir: string): { examples: DemoExample[]; skipped: Array<{ file: string; reason: string }> };
export function describeWorkflow(file: string, workflow: Record<string, unknown>): DemoExample;
export function needsActivation(example: Pick<DemoExample, 'webhooks' | 'hasSmsTrigger'>): boolean;
export const WEBHOOK_TYPE: 'n8n-nodes-base.webhook';
export const SMS_TRIGGER_TYPE: 'n8n-nodes-sms-gateway.smsTrigger';
