/** SMPP 3.4 time formats (section 7.1.1): absolute `YYMMDDhhmmsstnnp` and relative `YYMMDDhhmmss000R`. */

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Absolute time in UTC ("00+" offset). */
export function smppAbsoluteTime(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new RangeError('invalid date');
  return (
    pad2(date.getUTCFullYear() % 100) +
    pad2(date.getUTCMonth() + 1) +
    pad2(date.getUTCDate()) +
    pad2(date.getUTCHours()) +
    pad2(date.getUTCMinutes()) +
    pad2(date.getUTCSeconds()) +
    String(Math.floor(date.getUTCMilliseconds() / 100)) +
    '00+'
  );
}

/** Relative time from now, e.g. 90 minutes -> "000000013000000R". */
export function smppRelativeTime(totalSeconds: number): string {
  if (!Number.isFinite(totalSeconds) || totalSeconds < 0) throw new RangeError('relative time must be zero or more seconds');
  let s = Math.floor(totalSeconds);
  const years = Math.floor(s / (365 * 86400));
  s -= years * 365 * 86400;
  const months = Math.floor(s / (30 * 86400));
  s -= months * 30 * 86400;
  const days = Math.floor(s / 86400);
  s -= days * 86400;
  const hours = Math.floor(s / 3600);
  s -= hours * 3600;
  const minutes = Math.floor(s / 60);
  s -= minutes * 60;
  if (years > 99) throw new RangeError('relative time is more than 99 years');
  return pad2(years) + pad2(months) + pad2(days) + pad2(hours) + pad2(minutes) + pad2(s) + '000R';
}

/**
 * Reads an SMPP time field (absolute, with its quarter-hour offset from UTC, or relative) as the
 * moment it stands for; null for an empty or unreadable field. `now` anchors relative times.
 */
export function parseSmppTime(value: string, now: Date): Date | null {
  const m = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d)(\d{2})([+\-R])$/.exec(value.trim());
  if (!m) return null;
  const [yy, mo, dd, hh, mi, ss, tenths, nn] = m.slice(1, 9).map(Number);
  if (m[9] === 'R') {
    const seconds = ((yy * 365 + mo * 30 + dd) * 24 + hh) * 3600 + mi * 60 + ss;
    return new Date(now.getTime() + seconds * 1000);
  }
  const local = Date.UTC(2000 + yy, mo - 1, dd, hh, mi, ss, tenths * 100);
  // The field is local time nn quarter-hours ahead of (+) or behind (-) UTC.
  const utc = local - (m[9] === '+' ? 1 : -1) * nn * 15 * 60_000;
  return Number.isNaN(utc) || mo < 1 || mo > 12 || dd < 1 || dd > 31 ? null : new Date(utc);
}
