// Types for example-requests.js.
export const SAMPLE_REQUESTS: Record<string, Array<{ what: string; contentType?: string; data?: string; file?: string }>>;
export function shellQuote(text: string): string;
export function curlLines(webhookUrl: string, webhook: { method: string; path: string }): Array<{ what: string; command: string }>;
