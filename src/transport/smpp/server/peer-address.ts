import { isIPv6 } from 'net';

/**
 * The key an address is counted under (connections, failed binds): IPv4 as is (also when it
 * arrives IPv4-mapped, ::ffff:a.b.c.d), IPv6 by its /64 prefix, since one host usually holds a
 * whole /64 and could otherwise take a fresh address for every attempt.
 */
export function peerKey(address: string | undefined): string {
  if (!address) return 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1];
  if (!isIPv6(address)) return address;
  return `${expandIPv6(address).slice(0, 4).join(':')}::/64`;
}

function expandIPv6(address: string): string[] {
  const [head, tail = ''] = address.split('%')[0].split('::');
  const left = head ? head.split(':') : [];
  const right = address.includes('::') && tail ? tail.split(':') : [];
  const missing = 8 - left.length - right.length;
  return [...left, ...Array<string>(Math.max(0, missing)).fill('0'), ...right].map((group) => group.toLowerCase().replace(/^0+(?=.)/, ''));
}

/**
 * The next wider prefix of a peerKey or of a prefix: an IPv4 address's /24, then /16, /8 and all
 * of IPv4; an IPv6 /64's /48, then /32, /16 and all of IPv6. Failures are aggregated into them
 * only under pressure (see BindLockout), where a table could not keep every address.
 */
export function widerPrefix(key: string): string {
  const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)(\/\d+)?$/.exec(key);
  if (v4) {
    const bits = v4[5] ? Number(v4[5].slice(1)) : 32;
    const keep = Math.max(0, bits - 8) / 8;
    return bits <= 8 ? '0.0.0.0/0' : [...v4.slice(1, 1 + keep), ...Array<string>(4 - keep).fill('0')].join('.') + `/${keep * 8}`;
  }
  const v6 = /^([0-9a-f:]+)::\/(\d+)$/.exec(key);
  if (v6) {
    const bits = Number(v6[2]);
    const keep = Math.max(0, bits - 16) / 16;
    return bits <= 16 ? '::/0' : `${v6[1].split(':').slice(0, keep).join(':')}::/${keep * 16}`;
  }
  return 'other/0';
}
