// What a bearer token proves: the location (private integration or Location OAuth token) or the company it acts
// for, its scopes and its app. The pipeline establishes it; use cases take it.

export interface AuthContext {
  tokenId: string;
  locationId: string;
  scopes: ReadonlySet<string>;
  /** The app the token belongs to (a provider's reports and inbound messages must come from its app); null: none. */
  appId: string | null;
}

/** A Company OAuth token: it reaches the company routes, never a location's data directly. */
export interface CompanyContext {
  authClass: 'Company';
  /** The grant the token was made from. */
  tokenId: string;
  companyId: string;
  scopes: ReadonlySet<string>;
  appId: string;
}

/** What a bearer token proves: a location (private integration or Location OAuth token), or a company. */
export type Credential = AuthContext | CompanyContext;

export function isCompanyContext(credential: Credential): credential is CompanyContext {
  return (credential as CompanyContext).authClass === 'Company';
}
