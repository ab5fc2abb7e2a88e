// The shape of a seeded dataset: how contacts, conversations and messages spread over locations, how many
// messages each conversation has, and when each happened. Everything is derived from the options and the seed,
// so any phase can recompute what an earlier one decided from an index alone.
import { newId } from '../domain/ids.js';
import { apportion, hash32, Random } from './random.js';
import { COMPANY_KINDS, COMPANY_WORDS } from './vocabulary.js';

export interface SeedOptions {
  locations: number;
  contacts: number;
  conversations: number;
  messages: number;
  /** Makes the dataset reproducible (ids aside, which are fresh random ids as the API makes them). */
  seed: number;
  /** The dataset's "now": its dates spread over the two years before. */
  until: number;
}

export interface LocationPlan {
  index: number;
  id: string;
  name: string;
  /** The business the location's messages speak for. */
  company: string;
  /** The location's users: assignees, followers, senders of manual messages. */
  users: string[];
  /** The location's live chat widget. */
  chatWidgetId: string;
  contactStart: number;
  contacts: number;
  conversationStart: number;
  conversations: number;
  messages: number;
}

const DAY_S = 24 * 3600;
export const WINDOW_S = 730 * DAY_S;
/** Messages of a conversation are at least this far apart, so an email thread's replies fit between them. */
export const MESSAGE_SPACING_S = 600;
/** No conversation is this busy, however heavy the tail of the distribution. */
const MAX_WEIGHT = 1000;

/** Stream ids for Random.of: each kind of decision draws from its own stream. */
export const STREAM = { location: 1, conversation: 2, contact: 3, message: 4, email: 5 } as const;

export class SeedPlan {
  readonly locations: LocationPlan[];
  /** Messages per conversation, by global conversation index. */
  readonly messageCounts: Int32Array;
  /** Index of each conversation's first message in the global message order before sorting (prefix sums). */
  readonly messageStarts: Float64Array;
  readonly endS: number;
  readonly startS: number;

  constructor(readonly options: SeedOptions) {
    const { locations, contacts, conversations, messages } = options;
    if (locations < 1) throw new Error('seed needs at least one location');
    if (conversations > contacts) throw new Error('seed needs at least as many contacts as conversations');
    this.endS = Math.floor(options.until / 1000);
    this.startS = this.endS - WINDOW_S;

    // Tenants differ in size (Zipf): the first location is the largest, the one benchmarks measure.
    const weights = Array.from({ length: locations }, (_, i) => 1 / (i + 1));
    const contactShares = apportion(contacts, weights);
    const conversationShares = apportion(conversations, weights).map((n, i) => Math.min(n, contactShares[i] ?? 0));
    // Rounding can leave a few conversations over where a location has no contact for them: the first takes them.
    const placed = conversationShares.reduce((a, b) => a + b, 0);
    conversationShares[0] = (conversationShares[0] ?? 0) + (conversations - placed);

    this.messageCounts = this.distributeMessages(conversations, messages);
    this.messageStarts = new Float64Array(conversations + 1);
    for (let c = 0; c < conversations; c++) {
      this.messageStarts[c + 1] = (this.messageStarts[c] as number) + (this.messageCounts[c] as number);
    }

    let contactStart = 0;
    let conversationStart = 0;
    this.locations = weights.map((_, index) => {
      const random = Random.of(options.seed, STREAM.location, index);
      const company = `${random.pick(COMPANY_WORDS)} ${random.pick(COMPANY_KINDS)}`;
      const plan: LocationPlan = {
        index,
        id: newId(),
        name: `${company} #${index + 1}`,
        company,
        users: Array.from({ length: 4 + random.int(12) }, () => newId()),
        chatWidgetId: newId(),
        contactStart,
        contacts: contactShares[index] ?? 0,
        conversationStart,
        conversations: conversationShares[index] ?? 0,
        messages: 0,
      };
      plan.messages =
        (this.messageStarts[conversationStart + plan.conversations] as number) -
        (this.messageStarts[conversationStart] as number);
      contactStart += plan.contacts;
      conversationStart += plan.conversations;
      return plan;
    });
  }

  /** A heavy-tailed spread (Pareto, alpha 1.5, capped): most conversations are short, a few are very long. */
  private distributeMessages(conversations: number, messages: number): Int32Array {
    const counts = new Int32Array(conversations);
    if (conversations === 0) return counts;
    const floor = messages >= conversations ? 1 : 0;
    const spread = messages - floor * conversations;
    const weights = new Float64Array(conversations);
    let sum = 0;
    for (let c = 0; c < conversations; c++) {
      const u = hash32(this.options.seed, STREAM.conversation * 7919, c) / 4294967296;
      const weight = Math.min(MAX_WEIGHT, (1 - u) ** (-1 / 1.5) - 1);
      weights[c] = weight;
      sum += weight;
    }
    let given = 0;
    for (let c = 0; c < conversations; c++) {
      const share = Math.floor(((weights[c] as number) / sum) * spread);
      counts[c] = floor + share;
      given += share;
    }
    // What rounding left over goes one each to conversations picked by hash.
    for (let k = 0; given < spread; k++, given++) {
      const c = hash32(this.options.seed, 17, k) % conversations;
      counts[c] = (counts[c] as number) + 1;
    }
    return counts;
  }

  locationOfConversation(c: number): LocationPlan {
    return this.find((plan) => plan.conversationStart, c);
  }

  locationOfContact(k: number): LocationPlan {
    return this.find((plan) => plan.contactStart, k);
  }

  private find(start: (plan: LocationPlan) => number, index: number): LocationPlan {
    let low = 0;
    let high = this.locations.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (start(this.locations[mid] as LocationPlan) <= index) low = mid;
      else high = mid - 1;
    }
    return this.locations[low] as LocationPlan;
  }

  /** The contact a conversation belongs to: the j-th conversation of a location is its j-th contact's. */
  contactOfConversation(c: number): number {
    const location = this.locationOfConversation(c);
    return location.contactStart + (c - location.conversationStart);
  }

  /** The conversation of a contact, or -1 for contacts who never had one. */
  conversationOfContact(k: number): number {
    const location = this.locationOfContact(k);
    const j = k - location.contactStart;
    return j < location.conversations ? location.conversationStart + j : -1;
  }

  /** When a conversation opened (its first message), in epoch seconds. */
  conversationStartS(c: number): number {
    return this.startS + Math.floor((hash32(this.options.seed, STREAM.conversation, c) / 4294967296) * WINDOW_S);
  }

  /**
   * The seconds of a conversation's messages, oldest first: spread between its first message and a random later
   * point, at least MESSAGE_SPACING_S apart, and never after the dataset's end.
   */
  messageSeconds(c: number): Float64Array {
    const n = this.messageCounts[c] as number;
    const times = new Float64Array(n);
    if (n === 0) return times;
    const first = this.conversationStartS(c);
    const random = Random.of(this.options.seed, STREAM.conversation, c);
    const span = (this.endS - first) * random.next() ** 2;
    times[0] = first;
    for (let k = 1; k < n; k++) times[k] = first + Math.floor(random.next() * span);
    times.sort();
    for (let k = 1; k < n; k++) {
      times[k] = Math.max(times[k] as number, (times[k - 1] as number) + MESSAGE_SPACING_S);
    }
    const overshoot = (times[n - 1] as number) - this.endS;
    if (overshoot > 0) for (let k = 0; k < n; k++) times[k] = (times[k] as number) - overshoot;
    return times;
  }
}
