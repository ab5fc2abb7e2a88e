// The conversation search the store executes: every filter already validated and normalised by the domain
// (src/domain/conversation-search.ts), which builds it from the API's query parameters.

export type SearchStatus = 'all' | 'read' | 'unread' | 'starred' | 'recents';
export type SortKey = 'last_message_at' | 'last_manual_message_at' | 'score' | 'due_at';

export interface SearchCursor {
  value: number;
  /** The tiebreak (the conversation's sequence number); absent when a client sends the one-number form. */
  seq?: number;
}

export interface ConversationSearch {
  locationId: string;
  contactId?: string;
  id?: string;
  assignedTo?: { userIds: string[]; unassigned: boolean };
  followers?: string[];
  mentions?: string[];
  text?: string;
  lastMessageType?: string;
  lastMessageAction?: string;
  lastMessageDirection?: string;
  status: SearchStatus;
  sortKey: SortKey;
  /** The score profile the results are sorted by, for sortKey "score". */
  sortScoreProfile?: string;
  /** Only conversations overdue at this instant (sortBy overdue_at). */
  overdueAt?: number;
  scoreFilter?: { profileId: string; min?: number; max?: number };
  dateAdded?: { from?: number; to?: number };
  order: 'asc' | 'desc';
  after?: SearchCursor;
  limit: number;
}
