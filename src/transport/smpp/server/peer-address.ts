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
