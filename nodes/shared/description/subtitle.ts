/**
 * Pieces of node subtitles (the line under a node on the canvas). n8n evaluates the subtitle as an
 * expression over the node's parameters; object literals inside {{ }} are avoided, as the
 * expression's braces would be ambiguous.
 */

/** An expression giving the words for a parameter's value, e.g. words('transport', { modem: 'GSM modem' }, 'SMPP'). */
export function words(parameter: string, byValue: Record<string, string>, otherwise: string): string {
  const value = `$parameter[${JSON.stringify(parameter)}]`;
  const chain = Object.entries(byValue)
    .map(([key, text]) => `${value} === ${JSON.stringify(key)} ? ${JSON.stringify(text)} : `)
    .join('');
  return `(${chain}${JSON.stringify(otherwise)})`;
}

/** A Transport value in words: messages go "by SMPP", "by GSM modem"... */
export const TRANSPORT_WORDS = words('transport', { modem: 'GSM modem', failover: 'SMPP, modem failover' }, 'SMPP');
