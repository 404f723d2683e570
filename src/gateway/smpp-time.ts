/** SMPP 3.4 time formats (section 7.1.1): absolute `YYMMDDhhmmsstnnp` and relative `YYMMDDhhmmss000R`. */

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Absolute time in UTC ("00+" offset). */
export function smppAbsoluteTime(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new RangeError('invalid date');
  return pad2(date.getUTCFullYear() % 100) + pad2(date.getUTCMonth() + 1) + pad2(date.getUTCDate()) +
    pad2(date.getUTCHours()) + pad2(date.getUTCMinutes()) + pad2(date.getUTCSeconds()) +
    String(Math.floor(date.getUTCMilliseconds() / 100)) + '00+';
}

/** Relative time from now, e.g. 90 minutes -> "000000013000000R". */
export function smppRelativeTime(totalSeconds: number): string {
  if (!Number.isFinite(totalSeconds) || totalSeconds < 0) throw new RangeError('relative time must be zero or more seconds');
  let s = Math.floor(totalSeconds);
  const years = Math.floor(s / (365 * 86400)); s -= years * 365 * 86400;
  const months = Math.floor(s / (30 * 86400)); s -= months * 30 * 86400;
  const days = Math.floor(s / 86400); s -= days * 86400;
  const hours = Math.floor(s / 3600); s -= hours * 3600;
  const minutes = Math.floor(s / 60); s -= minutes * 60;
  if (years > 99) throw new RangeError('relative time is more than 99 years');
  return pad2(years) + pad2(months) + pad2(days) + pad2(hours) + pad2(minutes) + pad2(s) + '000R';
}
