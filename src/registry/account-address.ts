import { createHash } from 'crypto';
import { lookup } from 'dns/promises';
import { isIP } from 'net';

/** An address as one spelling: IPv4-mapped IPv6 as IPv4, IPv6 compressed and in lower case. */
function canonicalAddress(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1];
  // The URL parser writes an IPv6 address one way (zeros compressed, lower case).
  return isIP(address) === 6 ? new URL(`http://[${address}]/`).hostname.slice(1, -1) : address;
}

function isLoopback(address: string): boolean {
  return address === '::1' || /^127\./.test(address);
}

/**
 * The carrier's host as one name whatever the credential wrote: what it resolves to. Two
 * credentials of one account that spell the host differently (`localhost` and `127.0.0.1`, a name
 * and its address, two DNS aliases) reach the same carrier, which counts their binds together.
 * Several addresses (round-robin DNS): the lowest, so each spelling that resolves to the same set
 * agrees (an address of the set typed directly, other than the lowest, does not: see README); any
 * loopback address: "loopback" (localhost may resolve to ::1 or 127.0.0.1). A name that does not
 * resolve throws: its spelling would name another account than the one it reaches once it does.
 */
export async function resolvedHost(host: string): Promise<string> {
  const typed = host.trim().toLowerCase().replace(/\.$/, '');
  let addresses: string[];
  try {
    addresses = isIP(typed) ? [typed] : (await lookup(typed, { all: true })).map((a) => a.address);
  } catch (err) {
    throw new Error(`the carrier host "${typed}" did not resolve (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const canonical = addresses.map(canonicalAddress);
  if (canonical.some(isLoopback)) return 'loopback';
  const lowest = canonical.sort()[0];
  if (lowest === undefined) throw new Error(`the carrier host "${typed}" resolved to no address`);
  return lowest;
}

/**
 * Names one carrier account (resolved host, port, system_id) for keys that processes share,
 * never with the password: anyone who can read Redis sees key names.
 */
export async function carrierAccountKey(config: { host: string; port: number; systemId: string }): Promise<string> {
  return createHash('sha256')
    .update([await resolvedHost(config.host), config.port, config.systemId].join('|'))
    .digest('hex')
    .slice(0, 24);
}
