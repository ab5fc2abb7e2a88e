// Who may call a route, declared beside each route and enforced by the pipeline in order (BEHAVIOUR.md §1).
import type { Scope } from '../domain/scopes.js';

export type LocationSource = 'query' | 'body' | 'params';

export type Access =
  | { kind: 'public' }
  | { kind: 'admin' }
  | {
      kind: 'location';
      scope: Scope;
      /** The two email operations the spec lists without a Version parameter accept a missing one. */
      versionOptional?: boolean;
      /** Where the request names its location, checked against the token's before validation. */
      locationFrom?: LocationSource;
    };

export interface AuthContext {
  tokenId: string;
  locationId: string;
  scopes: ReadonlySet<string>;
}

export const ACCEPTED_VERSIONS = new Set(['v3', '2023-02-21', '2021-07-28', '2021-04-15']);
