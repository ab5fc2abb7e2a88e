// Posting to URLs integrators register (webhook URLs, provider delivery URLs) without becoming a way into the
// private network: http(s) only; the URL is checked when it is registered, and again at every send, where each
// address the host resolves to is checked as the socket connects (DNS may have changed since registration, or be
// rebound between a check and its use). Private, loopback and other special-purpose addresses are refused unless
// the allow-list names the host or the address. No redirects are followed: a 3xx is an answer like any non-2xx.
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { addressAllowed, describeNetworkFailure, guardedLookup, hostOf, httpUrl } from './addresses.js';

export interface OutboundPolicy {
  /** Host names or IP addresses posted to even though private or loopback. */
  allowedHosts: ReadonlySet<string>;
  /** The longest wait for an answer. */
  timeoutMs: number;
}

/** The URL is not one Switchboard posts to: not worth retrying until its owner changes it. */
export class OutboundRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutboundRefused';
  }
}

export interface PostResult {
  status: number;
  durationMs: number;
}

const PRIVATE = 'resolves to a private or loopback address';

const parseUrl = (raw: string) => httpUrl(raw, (problem) => new OutboundRefused(problem));
const refused = () => new OutboundRefused(PRIVATE);
const allowed = (policy: OutboundPolicy, address: string) => addressAllowed(policy.allowedHosts, address);

/**
 * Whether a URL may be registered: http(s), and its host (or every address it resolves to) public or allow-listed.
 * Answers the problem, phrased to follow the field's name, or null.
 */
export async function outboundUrlProblem(raw: string, policy: OutboundPolicy): Promise<string | null> {
  let url: URL;
  try {
    url = parseUrl(raw);
  } catch (error) {
    return (error as Error).message;
  }
  const host = hostOf(url);
  if (policy.allowedHosts.has(host)) return null;
  if (net.isIP(host)) return allowed(policy, host) ? null : PRIVATE;
  let addresses: dns.LookupAddress[];
  try {
    addresses = await dns.promises.lookup(host, { all: true });
  } catch {
    return 'names a host that does not resolve';
  }
  return addresses.every((entry) => allowed(policy, entry.address)) ? null : PRIVATE;
}

/**
 * POSTs a JSON body and answers the receiver's status. Throws OutboundRefused for a URL Switchboard does not post
 * to, and an Error for a connection failure or a receiver that does not answer in time.
 */
export function postJson(
  raw: string,
  body: string,
  headers: Record<string, string>,
  policy: OutboundPolicy,
): Promise<PostResult> {
  const url = parseUrl(raw);
  const host = hostOf(url);
  if (net.isIP(host) && !allowed(policy, host)) {
    return Promise.reject(refused());
  }
  const client = url.protocol === 'https:' ? https : http;
  const started = performance.now();
  return new Promise<PostResult>((resolve, reject) => {
    const request = client.request(
      url,
      {
        method: 'POST',
        agent: false,
        headers: {
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
          'user-agent': 'Switchboard',
          ...headers,
        },
        lookup: guardedLookup(policy.allowedHosts, host, refused),
      },
      (response) => {
        clearTimeout(deadline);
        // Only the status matters: whatever the receiver says after it is read and dropped.
        response.on('error', () => {});
        response.resume();
        resolve({ status: response.statusCode ?? 0, durationMs: Math.round(performance.now() - started) });
      },
    );
    const noAnswer = new Error(`no answer within ${policy.timeoutMs} ms`);
    const deadline = setTimeout(() => request.destroy(noAnswer), policy.timeoutMs);
    request.on('error', (error) => {
      clearTimeout(deadline);
      if (error instanceof OutboundRefused || error === noAnswer) return reject(error);
      reject(new Error(describeNetworkFailure(error)));
    });
    request.end(body);
  });
}
