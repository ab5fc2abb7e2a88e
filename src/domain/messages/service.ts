// Message use cases as the routes call them: each runs in one transaction with its side effects (delivery
// jobs), and wakes the job runner once committed.

import type { DeliverMessagePayload } from '../../jobs/deliver-message.js';
import type { JobKind, JobRunner } from '../../jobs/runner.js';
import type { Store } from '../../store/database.js';
import { findIdempotencyKey, insertIdempotencyKey } from '../../store/repositories/idempotency.js';
import type { Clock } from '../clock.js';
import { keyReused, requestHash } from '../idempotency.js';
import { SEND_TYPES } from '../message-types.js';
import { providerForSend, requireAppProvider } from '../providers.js';
import { requireAttachmentUrls } from './attachment-urls.js';
import {
  logOutboundCall,
  type OutboundCallInput,
  type ProcessInput,
  type ProcessResult,
  processMessage,
} from './inbound.js';
import { type SendContext, type SendInput, type SendResult, sendMessage } from './send.js';

export interface MessageServiceDeps {
  store: Store;
  clock: Clock;
  jobs: JobRunner;
  deliverJob: JobKind<DeliverMessagePayload>;
  emailDomain: string;
}

export class MessageService {
  constructor(private readonly deps: MessageServiceDeps) {}

  async send(locationId: string, input: SendInput, idempotencyKey?: string): Promise<SendResult> {
    requireAttachmentUrls(input.attachments);
    const { store, clock, jobs, deliverJob, emailDomain } = this.deps;
    const hash = idempotencyKey ? requestHash(input) : '';
    // A concurrent request with the same key committed first: answer its result.
    const replay = async (error: unknown) => {
      const stored = idempotencyKey && (await findIdempotencyKey(store.db, locationId, idempotencyKey));
      if (!stored) throw error;
      if (stored.request_hash !== hash) throw keyReused();
      return JSON.parse(stored.response) as SendResult;
    };
    return store.unit(
      async (tx) => {
        const db = tx.db;
        if (idempotencyKey) {
          const stored = await findIdempotencyKey(db, locationId, idempotencyKey);
          if (stored) {
            if (stored.request_hash !== hash) throw keyReused();
            return JSON.parse(stored.response) as SendResult;
          }
        }
        const now = clock.now();
        const ctx: SendContext = {
          tx,
          db,
          locationId,
          now,
          emailDomain,
          scheduleDelivery: async (payload, runAt) => {
            await jobs.enqueue(tx, deliverJob, payload, {
              locationId,
              subjectId: payload.emailId ?? payload.messageId,
              runAt,
            });
          },
        };
        // The provider named, or the location's default for the channel: the message goes out through it.
        const providerId = await providerForSend(db, locationId, SEND_TYPES[input.type], input.conversationProviderId);
        const sent = await sendMessage(ctx, providerId ? { ...input, conversationProviderId: providerId } : input);
        if (idempotencyKey) {
          await insertIdempotencyKey(db, {
            location_id: locationId,
            key: idempotencyKey,
            request_hash: hash,
            status_code: 200,
            response: JSON.stringify(sent),
            created_at: now,
          });
        }
        return sent;
      },
      idempotencyKey ? { onUniqueViolation: replay } : {},
    );
  }

  /** `appId` is the caller's: a conversationProviderId must name a provider of that app installed here. */
  async inbound(locationId: string, input: ProcessInput, appId: string | null = null): Promise<ProcessResult> {
    requireAttachmentUrls(input.attachments);
    return this.process(locationId, async (ctx) => {
      await requireAppProvider(ctx.db, locationId, appId, input.conversationProviderId);
      return processMessage(ctx, input);
    });
  }

  async outboundCall(
    locationId: string,
    input: OutboundCallInput,
    appId: string | null = null,
  ): Promise<ProcessResult> {
    requireAttachmentUrls(input.attachments);
    return this.process(locationId, async (ctx) => {
      await requireAppProvider(ctx.db, locationId, appId, input.conversationProviderId);
      return logOutboundCall(ctx, input);
    });
  }

  private async process(
    locationId: string,
    run: (ctx: Parameters<typeof processMessage>[0]) => Promise<ProcessResult>,
  ): Promise<ProcessResult> {
    const { store, clock, emailDomain } = this.deps;
    // The same altId raced in twice: the unique index kept one, which the second attempt answers.
    return store.unit((tx) => run({ tx, db: tx.db, locationId, now: clock.now(), emailDomain }), {
      onUniqueViolation: 'retry',
    });
  }
}
