// Who may call a route, declared beside each route and enforced by the pipeline in order
// (docs/behaviour.md#request-pipeline).
import type { Scope } from '../domain/scopes.js';

export type LocationSource = 'query' | 'body' | 'params';

export type Access =
  | {
      kind: 'public';
      /** Called from web pages of any origin (the live chat widget): CORS headers on every answer. */
      cors?: boolean;
    }
  | { kind: 'admin' }
  /** Company (agency) OAuth tokens only: the OAuth operations of spec/reference/oauth.json. */
  | { kind: 'company'; scope: Scope }
  | {
      kind: 'location';
      scope: Scope;
      /** For EventSource, which cannot send headers: the token and Version may come as `access_token`/`version`
       * query parameters (the headers win when both are sent); CORS headers on every answer. */
      queryCredentials?: boolean;
      /** The two email operations the spec lists without a Version parameter accept a missing one. */
      versionOptional?: boolean;
      /** Where the request names its location, checked against the token's before validation. */
      locationFrom?: LocationSource;
    };

export const ACCEPTED_VERSIONS = new Set(['v3', '2023-02-21', '2021-07-28', '2021-04-15']);
