// OAuth answers in HighLevel's shapes (spec/reference/oauth.json): token responses, location tokens, installed
// locations, issued codes.

import { ACCESS_TOKEN_SECONDS } from '../domain/oauth/access-tokens.js';
import type { IssuedCode } from '../domain/oauth/authorizations.js';
import type { IssuedTokens, LocationToken } from '../domain/oauth/tokens.js';

export function presentTokens(issued: IssuedTokens) {
  const { grant } = issued;
  const common = {
    access_token: issued.accessToken,
    token_type: 'Bearer',
    expires_in: ACCESS_TOKEN_SECONDS,
    refresh_token: issued.refreshToken,
    scope: issued.scopes.join(' '),
    userType: grant.user_type,
    ...(grant.company_id ? { companyId: grant.company_id } : {}),
  };
  if (grant.user_type === 'Location') {
    return { ...common, locationId: grant.location_id, userId: grant.user_id, isBulkInstallation: false };
  }
  return {
    ...common,
    approvedLocations: issued.approvedLocations ?? [],
    userId: grant.user_id,
    isBulkInstallation: false,
    installToFutureLocations: false,
    approveAllLocations: false,
  };
}

export function presentLocationToken(token: LocationToken) {
  return {
    access_token: token.accessToken,
    token_type: 'Bearer',
    expires_in: ACCESS_TOKEN_SECONDS,
    scope: token.scopes.join(' '),
    locationId: token.locationId,
    companyId: token.companyId,
    userId: token.userId,
    appId: token.appId,
    versionId: token.appId,
  };
}

export function presentInstalledLocations(page: {
  count: number;
  rows: { id: string; name: string; installed_at: number | null }[];
}) {
  return {
    locations: page.rows.map((row) => ({
      _id: row.id,
      name: row.name,
      // Switchboard's locations have no postal address.
      address: '',
      isInstalled: row.installed_at !== null,
      ...(row.installed_at !== null ? { installedAt: new Date(row.installed_at).toISOString() } : {}),
    })),
    count: page.count,
    installToFutureLocations: false,
  };
}

export function presentCode(issued: IssuedCode, redirectUri: string | null) {
  return {
    code: issued.code,
    expiresIn: issued.expiresIn,
    userType: issued.userType,
    locationId: issued.locationId,
    companyId: issued.companyId,
    scopes: issued.scopes,
    redirectUri,
  };
}
