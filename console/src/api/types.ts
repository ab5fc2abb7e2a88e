// The wire shapes the console reads (a subset of the API's: docs/console.md lists the operations it calls).

export interface Location {
  id: string;
  name: string;
  companyId: string | null;
  dateAdded: string;
}

export interface ConversationItem {
  id: string;
  contactId: string;
  locationId: string;
  lastMessageBody: string;
  lastMessageType?: string;
  lastMessageDirection?: string;
  lastMessageDate: number;
  type: string;
  unreadCount: number;
  fullName: string;
  contactName: string;
  email: string;
  phone: string;
  starred: boolean;
  assignedTo?: string;
  sort: [number, number];
}

export interface SearchPage {
  conversations: ConversationItem[];
  total: number;
}

export interface MessageError {
  code?: string;
  type?: string;
  message?: string;
}

export interface Message {
  id: string;
  type: number;
  messageType: string;
  conversationId: string;
  contactId: string;
  locationId: string;
  dateAdded: string;
  body: string;
  direction: 'inbound' | 'outbound' | string;
  status?: string;
  contentType?: string;
  attachments: string[];
  meta: { email?: { messageIds: string[] }; callDuration?: string; callStatus?: string };
  source?: string;
  userId?: string;
  error?: MessageError | string;
}

export interface MessagesPage {
  messages: { lastMessageId: string | null; nextPage: boolean; messages: Message[] };
}

export interface Email {
  id: string;
  subject?: string;
  body: string;
  from: string;
  to: string[];
  cc: string[];
  bcc: string[];
  status: string;
  direction: string;
  attachments: string[];
  dateAdded: string;
}

export interface OutboxRecord {
  id: string;
  messageId: string;
  emailId: string | null;
  channel: string;
  dateAdded: string;
  payload: {
    messageType?: string;
    body?: string | null;
    phone?: string;
    fromNumber?: string;
    attachments?: string[];
    conversationId?: string;
    email?: { from: string; to: string[]; cc: string[]; bcc: string[]; subject: string | null; html: string };
  };
}

export interface App {
  id: string;
  name: string;
  scopes: string[];
  webhookUrl: string | null;
  webhookEvents: string[] | null;
  clientId: string | null;
  dateAdded: string;
}

export interface Delivery {
  id: string;
  appId: string;
  locationId: string | null;
  type: string;
  status: 'pending' | 'delivered' | 'dead' | string;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  dateAdded: string;
  dateDelivered: string | null;
}

export interface DeliveryDetail extends Delivery {
  payload: Record<string, unknown>;
  /** The X-GHL-Signature header the delivery's attempts carried. */
  signature: string;
  attemptLog: {
    attempt: number;
    url: string;
    statusCode: number | null;
    error: string | null;
    durationMs: number | null;
    dateAttempted: string;
  }[];
}

export interface Token {
  id: string;
  locationId: string;
  name: string | null;
  scopes: string[];
  appId: string | null;
  dateAdded: string;
  revokedAt: string | null;
}

export interface Provider {
  id: string;
  appId: string;
  name: string;
  type: string;
  deliveryUrl: string | null;
  isDefault?: boolean;
}

export interface Widget {
  id: string;
  name: string;
  title: string;
  greeting: string | null;
  color: string | null;
  embed: { script: string; demoUrl: string };
}

/** A frame of the location's realtime stream (src/realtime/views.ts). */
export interface StreamEvent {
  type: string;
  conversation?: { id: string; unreadCount: number; starred: boolean; lastMessageBody: string | null };
  message?: Message;
  conversationId?: string;
  actor?: string;
  isTyping?: boolean;
  ttlMs?: number;
}

/** A public API call as the sandbox journal recorded it (docs/sandbox.md#a-journal-of-every-call). */
export interface JournalEntry {
  id: string;
  method: string;
  path: string;
  route: string | null;
  query: Record<string, unknown>;
  status: number;
  durationMs: number;
  tokenId: string | null;
  appId: string | null;
  traceId: string | null;
  requestBody: unknown;
  responseBody: unknown;
  dateAdded: string;
}

export interface ClockStatus {
  mode: 'real' | 'virtual';
  now: string;
}

export interface Fault {
  id: string;
  target: 'api' | 'delivery' | 'webhook';
  match: Record<string, unknown>;
  effect: Record<string, unknown>;
  times: number | null;
  probability: number;
  hits: number;
  dateAdded: string;
}
