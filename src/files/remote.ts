// Fetching remote files server-side (attachmentUrls, remote recordings) without becoming a way into the private
// network: http(s) only; every address a host name resolves to is checked at connect time (so DNS cannot rebind
// it between check and use), and so is every redirect; private, loopback, link-local and other special-purpose
// addresses are refused unless their host is allow-listed; a stalled or slow source times out.
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { Readable } from 'node:stream';
import { addressAllowed, describeNetworkFailure, guardedLookup, hostOf, httpUrl } from '../outbound/addresses.js';

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

const refusedAddress = () => new RemoteFetchError('refused', 'points to a private or reserved address');
const parseUrl = (raw: string) => httpUrl(raw, (problem) => new RemoteFetchError('refused', problem));

function requestOnce(url: URL, policy: FetchPolicy, range?: string, signal?: AbortSignal) {
  const host = hostOf(url);
  if (net.isIP(host) && !addressAllowed(policy.allowedHosts, host)) throw refusedAddress();
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<http.IncomingMessage>((resolve, reject) => {
    const request = client.request(
      url,
      {
        method: 'GET',
        agent: false,
        headers: { 'user-agent': 'Switchboard', accept: '*/*', ...(range ? { range } : {}) },
        lookup: guardedLookup(policy.allowedHosts, host, refusedAddress),
        timeout: policy.timeoutMs,
        ...(signal ? { signal } : {}),
      },
      resolve,
    );
    request.on('timeout', () => request.destroy(new RemoteFetchError('failed', 'timed out')));
    request.on('error', (error) => {
      reject(error instanceof RemoteFetchError ? error : new RemoteFetchError('failed', describeNetworkFailure(error)));
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
  let url = parseUrl(raw);
  const signal = options.deadlineMs ? AbortSignal.timeout(options.deadlineMs) : undefined;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop += 1) {
    const response = await requestOnce(url, policy, options.range, signal);
    const status = response.statusCode ?? 0;
    const location = response.headers.location;
    if ([301, 302, 303, 307, 308].includes(status) && location) {
      response.resume();
      url = parseUrl(new URL(location, url).toString());
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
