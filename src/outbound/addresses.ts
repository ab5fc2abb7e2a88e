// Where Switchboard may connect when it fetches or posts to URLs integrators give it: http(s) only, and never a
// private, loopback or otherwise special-purpose address unless the operator allow-lists the host or address.
// Each address is checked as the socket connects, so DNS cannot rebind a name between a check and its use.
import dns from 'node:dns';
import net from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Whether an address is anything but ordinary public unicast: private, loopback, link- or site-local, IPv4-translated
 * IPv6 (::ffff:0:0:0/96), NAT64, 6to4, Teredo, documentation, multicast… The ranges are
 * ipaddr.js's list of special-purpose blocks (kept to the IANA registries), and the address is judged as parsed, so
 * no spelling of it (mapped, compressed, zone-scoped) slips past a textual match.
 */
export function isPrivateAddress(address: string): boolean {
  if (net.isIP(address) === 0) return true;
  try {
    const parsed = ipaddr.parse(address);
    // ::ffff:a.b.c.d is the IPv4 address a.b.c.d itself (Node connects to it as such): judged as that address.
    const judged =
      parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()
        ? (parsed as ipaddr.IPv6).toIPv4Address()
        : parsed;
    return judged.range() !== 'unicast';
  } catch {
    return true;
  }
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

const NETWORK_FAILURES: Record<string, string> = {
  ECONNREFUSED: 'the connection was refused',
  ECONNRESET: 'the connection was reset',
  EPIPE: 'the connection was reset',
  ETIMEDOUT: 'the connection timed out',
  ENOTFOUND: 'the host name does not resolve',
  EAI_AGAIN: 'the host name does not resolve',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the host is unreachable',
  EADDRNOTAVAIL: 'the host is unreachable',
};

/**
 * A connection failure in words fit for the integrator who gave the URL: what went wrong, never the addresses,
 * ports or system calls involved (those would map the private network for whoever reads them).
 */
export function describeNetworkFailure(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') {
    const known = NETWORK_FAILURES[code];
    if (known) return known;
    if (
      code.startsWith('CERT_') ||
      code.startsWith('ERR_TLS') ||
      code.includes('SSL') ||
      code.includes('SELF_SIGNED')
    ) {
      return 'the TLS handshake failed';
    }
  }
  return 'the connection failed';
}
