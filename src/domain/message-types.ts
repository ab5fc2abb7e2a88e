// The one table of message types: numeric code ↔ TYPE_* name ↔ API channel names (docs/behaviour.md#message-types).
// Codes 39–44 are Switchboard's own for types whose HighLevel number is not public.
export const MESSAGE_TYPES = {
  1: 'TYPE_CALL',
  2: 'TYPE_SMS',
  3: 'TYPE_EMAIL',
  4: 'TYPE_SMS_REVIEW_REQUEST',
  5: 'TYPE_WEBCHAT',
  6: 'TYPE_SMS_NO_SHOW_REQUEST',
  7: 'TYPE_CAMPAIGN_SMS',
  8: 'TYPE_CAMPAIGN_CALL',
  9: 'TYPE_CAMPAIGN_EMAIL',
  10: 'TYPE_CAMPAIGN_VOICEMAIL',
  11: 'TYPE_FACEBOOK',
  12: 'TYPE_CAMPAIGN_FACEBOOK',
  13: 'TYPE_CAMPAIGN_MANUAL_CALL',
  14: 'TYPE_CAMPAIGN_MANUAL_SMS',
  15: 'TYPE_GMB',
  16: 'TYPE_CAMPAIGN_GMB',
  17: 'TYPE_REVIEW',
  18: 'TYPE_INSTAGRAM',
  19: 'TYPE_WHATSAPP',
  20: 'TYPE_CUSTOM_SMS',
  21: 'TYPE_CUSTOM_EMAIL',
  22: 'TYPE_CUSTOM_PROVIDER_SMS',
  23: 'TYPE_CUSTOM_PROVIDER_EMAIL',
  24: 'TYPE_IVR_CALL',
  25: 'TYPE_ACTIVITY_CONTACT',
  26: 'TYPE_ACTIVITY_INVOICE',
  27: 'TYPE_ACTIVITY_PAYMENT',
  28: 'TYPE_ACTIVITY_OPPORTUNITY',
  29: 'TYPE_LIVE_CHAT',
  30: 'TYPE_LIVE_CHAT_INFO_MESSAGE',
  31: 'TYPE_ACTIVITY_APPOINTMENT',
  32: 'TYPE_FACEBOOK_COMMENT',
  33: 'TYPE_INSTAGRAM_COMMENT',
  34: 'TYPE_CUSTOM_CALL',
  35: 'TYPE_GROUP_SMS',
  36: 'TYPE_INTERNAL_CHAT',
  37: 'TYPE_INTERNAL_COMMENT',
  38: 'TYPE_ACTIVITY_EMPLOYEE_ACTION_LOG',
  39: 'TYPE_RCS',
  40: 'TYPE_TIKTOK',
  41: 'TYPE_TIKTOK_COMMENT',
  42: 'TYPE_FORM_SUBMISSION',
  43: 'TYPE_SMS_REACTION',
  44: 'TYPE_ACTIVITY_WHATSAPP',
} as const;

export type MessageTypeCode = keyof typeof MESSAGE_TYPES;
export type MessageTypeName = (typeof MESSAGE_TYPES)[MessageTypeCode];

const CODE_BY_NAME = new Map<string, MessageTypeCode>(
  Object.entries(MESSAGE_TYPES).map(([code, name]) => [name, Number(code) as MessageTypeCode]),
);

export function messageTypeName(code: number): MessageTypeName {
  return MESSAGE_TYPES[code as MessageTypeCode] ?? 'TYPE_SMS';
}

export function messageTypeCode(name: string): MessageTypeCode | undefined {
  // The messages-list filter spells internal comments in the plural.
  return CODE_BY_NAME.get(name === 'TYPE_INTERNAL_COMMENTS' ? 'TYPE_INTERNAL_COMMENT' : name);
}

/** Send (`POST /conversations/messages`) types; InternalComment is Switchboard's documented extension. */
export const SEND_TYPES = {
  SMS: 2,
  RCS: 39,
  Email: 3,
  WhatsApp: 19,
  IG: 18,
  FB: 11,
  Custom: 22,
  Live_Chat: 29,
  TIKTOK: 40,
  InternalComment: 37,
} as const satisfies Record<string, MessageTypeCode>;
export type SendType = keyof typeof SEND_TYPES;

/** Inbound / outbound-log types. ALL_IN_ONE_CHAT has no TYPE_* of its own: it is stored as live chat. */
export const PROCESS_TYPES = {
  SMS: 2,
  RCS: 39,
  Email: 3,
  WhatsApp: 19,
  GMB: 15,
  IG: 18,
  FB: 11,
  Custom: 22,
  WebChat: 5,
  Live_Chat: 29,
  Call: 1,
  IVR_Call: 24,
  Campaign_Call: 8,
  Campaign_VoiceMail: 10,
  TIKTOK: 40,
  ALL_IN_ONE_CHAT: 29,
  FORM_SUBMISSION: 42,
} as const satisfies Record<string, MessageTypeCode>;
export type ProcessType = keyof typeof PROCESS_TYPES;

/** The export filter's channels and the codes each covers. */
export const EXPORT_CHANNELS = {
  Call: [1, 8, 10, 13, 24, 34],
  SMS: [2, 4, 6, 7, 14, 20, 22, 35, 39],
  Email: [3, 9, 21, 23],
  WhatsApp: [19, 44],
  Instagram: [18, 33],
  Facebook: [11, 12, 32],
} as const satisfies Record<string, readonly MessageTypeCode[]>;
export type ExportChannel = keyof typeof EXPORT_CHANNELS;

export const EMAIL_CODES: readonly number[] = EXPORT_CHANNELS.Email;
export const CALL_CODES: readonly number[] = EXPORT_CHANNELS.Call;

/** Channels that need a phone number to reach the contact. */
export const PHONE_CODES: readonly number[] = [2, 39, 19, 22];

export function isEmailCode(code: number): boolean {
  return EMAIL_CODES.includes(code);
}

/** Activity and internal entries are not conversation traffic: they do not change the last-message summary. */
export function isSummaryCode(code: number): boolean {
  return !(code >= 25 && code <= 28) && code !== 31 && code !== 37 && code !== 38 && code !== 30;
}
