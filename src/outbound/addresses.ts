// Where Switchboard may connect when it fetches or posts to URLs integrators give it: http(s) only, and never a
// private, loopback or otherwise special-purpose address unless the operator allow-lists the host or address.
// Each address is checked as the socket connects, so DNS cannot rebind a name between a check and its use.
import dns from 'node:dns';
import net from 'node:net';

const SPECIAL = new net.BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  SPECIAL.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 96], // unspecified, loopback and IPv4-compatible
  ['64:ff9b::', 96], // NAT64: reaches IPv4 addresses, private ones included
  ['100::', 64],
  ['2001:db8::', 32],
  ['2002::', 16], // 6to4: embeds an IPv4 address
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  SPECIAL.addSubnet(network, prefix, 'ipv6');
}

/** Whether an address is private, loopback or otherwise not on the public internet (IPv4-mapped IPv6 included). */
export function isPrivateAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 0) return true;
  if (family === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped?.[1]) return SPECIAL.check(mapped[1], 'ipv4');
  }
  return SPECIAL.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
}

/** Parses an http(s) URL, or throws what `refuse` makes of the problem. */
export function httpUrl(raw: string, refuse: (problem: string) => Error): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw refuse('is not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw refuse('must be an http or https URL');
  return url;
}

/** Whether an address may be connected to: public, or allow-listed. */
export function addressAllowed(allowedHosts: ReadonlySet<string>, address: string): boolean {
  return allowedHosts.has(address) || !isPrivateAddress(address);
}

type LookupCallback = (error: Error | null, address: string | dns.LookupAddress[], family?: number) => void;

/** A DNS lookup that only ever hands the socket allowed addresses (any, for an allow-listed host). */
export function guardedLookup(allowedHosts: ReadonlySet<string>, host: string, refused: () => Error) {
  const hostAllowed = allowedHosts.has(host);
  const lookup = (hostname: string, options: dns.LookupOptions, callback: LookupCallback) => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '');
      const usable = addresses.filter((entry) => hostAllowed || addressAllowed(allowedHosts, entry.address));
      const first = usable[0];
      if (!first) return callback(refused(), '');
      if (options.all) return callback(null, usable);
      callback(null, first.address, first.family);
    });
  };
  return lookup as unknown as typeof dns.lookup;
}
