// Fetching remote files server-side (attachmentUrls, remote recordings) without becoming a way into the private
// network: http(s) only; every address a host name resolves to is checked at connect time (so DNS cannot rebind
// it between check and use), and so is every redirect; private, loopback, link-local and other special-purpose
// addresses are refused unless their host is allow-listed; a stalled or slow source times out.
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { Readable } from 'node:stream';

export interface FetchPolicy {
  /** Host names or IP addresses fetched even though private or loopback. */
  allowedHosts: ReadonlySet<string>;
  /** The longest wait for an answer and the longest stall of its body. */
  timeoutMs: number;
}

export class RemoteFetchError extends Error {
  constructor(
    /** refused: the address is not one Switchboard fetches; failed: the fetch itself did not succeed. */
    readonly reason: 'refused' | 'failed',
    message: string,
  ) {
    super(message);
    this.name = 'RemoteFetchError';
  }
}

export interface RemoteFile {
  status: number;
  body: Readable;
  contentType: string | null;
  contentLength: number | null;
  contentRange: string | null;
  /** The last segment of the URL's path, decoded. */
  name: string;
}

const MAX_REDIRECTS = 3;

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

function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
}

function httpUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new RemoteFetchError('refused', 'is not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new RemoteFetchError('refused', 'must be an http or https URL');
  }
  return url;
}

const refusedAddress = () => new RemoteFetchError('refused', 'points to a private or reserved address');

type LookupCallback = (error: Error | null, address: string | dns.LookupAddress[], family?: number) => void;

/** A DNS lookup that only ever hands the socket public addresses (or those of an allow-listed host). */
function guardedLookup(policy: FetchPolicy, host: string) {
  const allowed = policy.allowedHosts.has(host);
  return (hostname: string, options: dns.LookupOptions, callback: LookupCallback) => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '');
      const usable = addresses.filter(
        (entry) => allowed || policy.allowedHosts.has(entry.address) || !isPrivateAddress(entry.address),
      );
      const first = usable[0];
      if (!first) return callback(refusedAddress(), '');
      if (options.all) return callback(null, usable);
      callback(null, first.address, first.family);
    });
  };
}

function requestOnce(url: URL, policy: FetchPolicy, range?: string, signal?: AbortSignal) {
  const host = hostOf(url);
  if (net.isIP(host) && !policy.allowedHosts.has(host) && isPrivateAddress(host)) throw refusedAddress();
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<http.IncomingMessage>((resolve, reject) => {
    const request = client.request(
      url,
      {
        method: 'GET',
        agent: false,
        headers: { 'user-agent': 'Switchboard', accept: '*/*', ...(range ? { range } : {}) },
        lookup: guardedLookup(policy, host) as unknown as typeof dns.lookup,
        timeout: policy.timeoutMs,
        ...(signal ? { signal } : {}),
      },
      resolve,
    );
    request.on('timeout', () => request.destroy(new RemoteFetchError('failed', 'timed out')));
    request.on('error', (error) => {
      reject(error instanceof RemoteFetchError ? error : new RemoteFetchError('failed', error.message));
    });
    request.end();
  });
}

function lastSegment(url: URL): string {
  const segment = url.pathname.split('/').filter(Boolean).at(-1) ?? '';
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * Opens a remote file. `deadlineMs` bounds the whole transfer (an attachment); without it only stalls time out
 * (a proxied recording). `range` is passed on, so the answer may be a 206.
 */
export async function fetchRemote(
  raw: string,
  policy: FetchPolicy,
  options: { range?: string; deadlineMs?: number } = {},
): Promise<RemoteFile> {
  let url = httpUrl(raw);
  const signal = options.deadlineMs ? AbortSignal.timeout(options.deadlineMs) : undefined;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop += 1) {
    const response = await requestOnce(url, policy, options.range, signal);
    const status = response.statusCode ?? 0;
    const location = response.headers.location;
    if ([301, 302, 303, 307, 308].includes(status) && location) {
      response.resume();
      url = httpUrl(new URL(location, url).toString());
      continue;
    }
    if (status !== 200 && status !== 206) {
      response.resume();
      throw new RemoteFetchError('failed', `answered ${status}`);
    }
    response.on('error', () => {});
    const length = Number(response.headers['content-length']);
    return {
      status,
      body: response,
      contentType: response.headers['content-type'] ?? null,
      contentLength: Number.isSafeInteger(length) && length >= 0 ? length : null,
      contentRange: (response.headers['content-range'] as string | undefined) ?? null,
      name: lastSegment(url),
    };
  }
  throw new RemoteFetchError('failed', 'redirected too many times');
}
