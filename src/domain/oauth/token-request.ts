// The body of POST /oauth/token, form-encoded or JSON, in snake_case or camelCase, checked in the order and with the
// messages of the OAuth server HighLevel runs (`Missing parameter: …`, `Invalid parameter: …`).
import { DomainError } from '../errors.js';
import type { AuthClass } from './access-tokens.js';

export type GrantType = 'authorization_code' | 'refresh_token';

export interface TokenRequest {
  clientId: string;
  clientSecret: string;
  grantType: GrantType;
  code?: string;
  refreshToken?: string;
  userType?: AuthClass;
  redirectUri?: string;
}

const NAMES = {
  clientId: ['client_id', 'clientId'],
  clientSecret: ['client_secret', 'clientSecret'],
  grantType: ['grant_type', 'grantType'],
  code: ['code'],
  refreshToken: ['refresh_token', 'refreshToken'],
  userType: ['user_type', 'userType'],
  redirectUri: ['redirect_uri', 'redirectUri'],
} as const;

type Field = keyof typeof NAMES;

/** Visible ASCII (RFC 6749's VSCHAR): what ids, secrets, codes and tokens consist of. */
const VSCHAR = /^[\u0020-\u007E]+$/;
/** RFC 6749's grant-name characters. */
const NCHAR = /^[-._\w]+$/;

export const missingParameter = (name: string) => new DomainError('BAD_REQUEST', `Missing parameter: \`${name}\``);
export const invalidParameter = (name: string) => new DomainError('BAD_REQUEST', `Invalid parameter: \`${name}\``);

function read(body: Record<string, unknown>, field: Field): string | undefined {
  for (const name of NAMES[field]) {
    const value = body[name];
    if (value === undefined || value === null || value === '') continue;
    if (typeof value !== 'string') throw invalidParameter(NAMES[field][0]);
    return value;
  }
  return undefined;
}

/** Client credentials sent as HTTP Basic authentication (RFC 6749 §2.3.1), when they are. */
function basicCredentials(authorization: string | undefined): { clientId: string; clientSecret: string } | null {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization ?? '');
  if (!match?.[1]) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  const decode = (part: string) => {
    try {
      return decodeURIComponent(part.replace(/\+/g, ' '));
    } catch {
      return part;
    }
  };
  return { clientId: decode(decoded.slice(0, colon)), clientSecret: decode(decoded.slice(colon + 1)) };
}

export function parseTokenRequest(rawBody: unknown, authorization?: string): TokenRequest {
  const body = rawBody !== null && typeof rawBody === 'object' ? (rawBody as Record<string, unknown>) : {};
  const basic = basicCredentials(authorization);
  const clientId = basic?.clientId ?? read(body, 'clientId');
  const clientSecret = basic?.clientSecret ?? read(body, 'clientSecret');
  if (!clientId) throw missingParameter('client_id');
  if (!clientSecret) throw missingParameter('client_secret');
  if (!VSCHAR.test(clientId)) throw invalidParameter('client_id');
  if (!VSCHAR.test(clientSecret)) throw invalidParameter('client_secret');

  const grantType = read(body, 'grantType');
  if (!grantType) throw missingParameter('grant_type');
  if (!NCHAR.test(grantType)) throw invalidParameter('grant_type');
  if (grantType !== 'authorization_code' && grantType !== 'refresh_token') {
    throw new DomainError('BAD_REQUEST', 'Unsupported grant type: `grant_type` is invalid');
  }

  const userType = read(body, 'userType');
  if (userType !== undefined && userType !== 'Location' && userType !== 'Company') throw invalidParameter('user_type');
  const request: TokenRequest = { clientId, clientSecret, grantType };
  if (userType) request.userType = userType;
  const redirectUri = read(body, 'redirectUri');
  if (redirectUri) request.redirectUri = redirectUri;

  if (grantType === 'authorization_code') {
    const code = read(body, 'code');
    if (!code) throw missingParameter('code');
    if (!VSCHAR.test(code)) throw invalidParameter('code');
    request.code = code;
  } else {
    const refreshToken = read(body, 'refreshToken');
    if (!refreshToken) throw missingParameter('refresh_token');
    if (!VSCHAR.test(refreshToken)) throw invalidParameter('refresh_token');
    request.refreshToken = refreshToken;
  }
  return request;
}
