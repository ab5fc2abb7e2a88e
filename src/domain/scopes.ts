// The OAuth scopes that guard Switchboard's operations (docs/behaviour.md#tokens-and-scopes).
export const SCOPES = [
  'conversations.readonly',
  'conversations.write',
  'conversations/message.readonly',
  'conversations/message.write',
  'conversations/livechat.write',
  'contacts.readonly',
  'contacts.write',
  'locations.readonly',
  // Company (agency) tokens: minting location tokens, listing the locations an app is installed on.
  'oauth.readonly',
  'oauth.write',
] as const;

export type Scope = (typeof SCOPES)[number];

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}
