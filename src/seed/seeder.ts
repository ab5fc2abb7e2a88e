// `switchboard seed`: writes a realistic dataset straight through the store in bulk: locations, contacts, their
// conversations (followers, mentions, summaries), then their messages conversation by conversation in the order the
// clustered message table keeps them, with the email rows of email threads.
import { sql } from 'kysely';
import { newId } from '../domain/ids.js';
import { type BulkLoad, withBulkLoad } from '../store/bulk-load.js';
import type { Store } from '../store/database.js';
import type { ConversationMembersTable } from '../store/schema.js';
import { contactFacts, contactRow } from './contacts.js';
import { conversationContext, seededConversation } from './conversations.js';
import { seededMessage } from './messages.js';
import { type SeedOptions, SeedPlan } from './plan.js';
import { Progress } from './progress.js';

export type { SeedOptions } from './plan.js';

export interface SeedReport {
  engine: Store['engine'];
  options: SeedOptions;
  locations: {
    id: string;
    name: string;
    contacts: number;
    conversations: number;
    messages: number;
    users: string[];
  }[];
  /** The conversation with the most messages in the first (largest) location. */
  busiestConversation: { id: string; locationId: string; messages: number } | null;
  emails: number;
  phases: { phase: string; rows: number; seconds: number; perSecond: number }[];
  seconds: number;
}

type Row = object;

/** Collects rows per table and writes them in big batches, committing every `commitEvery` rows. */
class Batches {
  private readonly pending = new Map<string, Row[]>();
  private sinceCommit = 0;

  constructor(
    private readonly loader: BulkLoad,
    private readonly batchSize: number,
    private readonly commitEvery: number,
  ) {}

  /** Tables are flushed in the order they were first added to, so parents precede children. */
  async add(table: string, row: Row): Promise<void> {
    let rows = this.pending.get(table);
    if (!rows) {
      rows = [];
      this.pending.set(table, rows);
    }
    rows.push(row);
    if (rows.length >= this.batchSize) await this.flush();
  }

  async flush(): Promise<void> {
    for (const [table, rows] of this.pending) {
      if (rows.length === 0) continue;
      await this.loader.insert(table as Parameters<BulkLoad['insert']>[0], rows);
      this.sinceCommit += rows.length;
      this.pending.set(table, []);
    }
    if (this.sinceCommit >= this.commitEvery) {
      await this.loader.commit();
      this.sinceCommit = 0;
    }
  }
}

/** Seeds the store; progress bars and notes go to `output` (stderr by default, null for none). */
export async function seed(
  store: Store,
  options: SeedOptions,
  emailDomain: string,
  output: NodeJS.WriteStream | null = process.stderr,
): Promise<SeedReport> {
  const started = performance.now();
  const plan = new SeedPlan(options);
  const phases: SeedReport['phases'] = [];
  const measure = (progress: Progress, phase: string, rows: number) => {
    const { ms, perSecond } = progress.finish();
    phases.push({ phase, rows, seconds: Math.round(ms) / 1000, perSecond: Math.round(perSecond) });
  };
  const contactIds: string[] = new Array(options.contacts);
  const conversationIds: string[] = new Array(options.conversations);
  let emails = 0;
  let indexesStarted = 0;

  // SQLite's clustered message table numbers no rows itself (migration 0017): the seed numbers them on from the last.
  const seqs =
    store.engine === 'sqlite'
      ? Number((await sql<{ n: number }>`select coalesce(max(seq), 0) as n from messages`.execute(store.db)).rows[0]?.n)
      : null;
  const tables = ['contacts', 'conversations', 'conversation_followers', 'conversation_mentions', 'messages', 'emails'];
  await withBulkLoad(
    store,
    tables as Parameters<typeof withBulkLoad>[1],
    async (loader) => {
      const batches = new Batches(loader, 10_000, 100_000);
      for (const location of plan.locations) {
        await batches.add('locations', {
          id: location.id,
          name: location.name,
          company_id: null,
          created_at: plan.startS * 1000,
        });
      }
      await batches.flush();

      let progress = new Progress('contacts', options.contacts, output);
      for (let k = 0; k < options.contacts; k++) {
        contactIds[k] = newId();
        await batches.add('contacts', contactRow(plan, k, contactIds[k] as string));
        if (k % 1000 === 999) progress.tick(1000);
      }
      await batches.flush();
      progress.tick(options.contacts % 1000);
      measure(progress, 'contacts', options.contacts);

      // Conversations in id order, and then their messages in the same order, each conversation's oldest first:
      // the order of the clustered message key (conversation, date, seq), so every insert appends to the table
      // rather than landing at a random place of it (migration 0017). The conversation id index grows at its end too.
      for (let c = 0; c < options.conversations; c++) conversationIds[c] = newId();
      const byId = Int32Array.from(conversationIds.keys()).sort((a, b) =>
        (conversationIds[a] as string) < (conversationIds[b] as string) ? -1 : 1,
      );
      progress = new Progress('conversations', options.conversations, output);
      for (let i = 0; i < byId.length; i++) {
        const c = byId[i] as number;
        const conversationId = conversationIds[c] as string;
        const contactId = contactIds[plan.contactOfConversation(c)] as string;
        const seeded = seededConversation(conversationContext(plan, c, { conversationId, contactId }, emailDomain), c);
        await batches.add('conversations', seeded.row);
        for (const [table, users] of [
          ['conversation_followers', seeded.followers],
          ['conversation_mentions', seeded.mentions],
        ] as const) {
          for (const user_id of users) {
            const member: ConversationMembersTable = {
              location_id: seeded.row.location_id,
              conversation_id: conversationId,
              user_id,
            };
            await batches.add(table, { ...member });
          }
        }
        if (i % 1000 === 999) progress.tick(1000);
      }
      await batches.flush();
      progress.tick(options.conversations % 1000);
      measure(progress, 'conversations', options.conversations);

      // Messages are numbered (seq) in the order they are written, as an import of each conversation's history would
      // number them; a conversation's messages are at least MESSAGE_SPACING_S apart, so its date order is its k order.
      let seq = seqs ?? 0;
      let written = 0;
      progress = new Progress('messages', options.messages, output);
      for (const c of byId) {
        const seconds = plan.messageSeconds(c);
        if (seconds.length === 0) continue;
        const contact = plan.contactOfConversation(c);
        const ctx = conversationContext(
          plan,
          c,
          { conversationId: conversationIds[c] as string, contactId: contactIds[contact] as string },
          emailDomain,
          contactFacts(plan, contact),
        );
        for (let k = 0; k < seconds.length; k++) {
          const message = seededMessage(ctx, c, k, seconds[k] as number, ctx.primary);
          seq += 1;
          await batches.add('messages', seqs === null ? message.row : { ...message.row, seq });
          for (const email of message.emails) await batches.add('emails', email);
          emails += message.emails.length;
        }
        written += seconds.length;
        if (written >= 1000) {
          progress.tick(written);
          written = 0;
        }
      }
      await batches.flush();
      progress.tick(written);
      measure(progress, 'messages', options.messages);
    },
    (phase, count) => {
      if (phase === 'rebuilding') {
        indexesStarted = performance.now();
        output?.write(`indexes        rebuilding ${count} secondary indexes over the loaded rows…\n`);
      } else if (phase === 'rebuilt') {
        const seconds = Math.round(performance.now() - indexesStarted) / 1000;
        phases.push({ phase: 'indexes', rows: count, seconds, perSecond: 0 });
        output?.write(`indexes        rebuilt in ${seconds.toFixed(1)}s\n`);
      }
    },
  );

  const first = plan.locations[0];
  let busiest: SeedReport['busiestConversation'] = null;
  if (first && first.conversations > 0) {
    let best = first.conversationStart;
    for (let c = first.conversationStart; c < first.conversationStart + first.conversations; c++) {
      if ((plan.messageCounts[c] as number) > (plan.messageCounts[best] as number)) best = c;
    }
    busiest = {
      id: conversationIds[best] as string,
      locationId: first.id,
      messages: plan.messageCounts[best] as number,
    };
  }
  return {
    engine: store.engine,
    options,
    locations: plan.locations.map((location) => ({
      id: location.id,
      name: location.name,
      contacts: location.contacts,
      conversations: location.conversations,
      messages: location.messages,
      users: location.users,
    })),
    busiestConversation: busiest,
    emails,
    phases,
    seconds: Math.round(performance.now() - started) / 1000,
  };
}
