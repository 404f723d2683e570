/** Splits a "To" value (one number, or several separated by commas, semicolons or new lines). */
export function splitRecipients(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap((v) => splitRecipients(v));
  if (value === undefined || value === null) return [];
  return String(value)
    .split(/[,;\n\r]+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
