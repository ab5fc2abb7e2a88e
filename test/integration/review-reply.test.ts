// Review conversations: the admin review extension, and POST /conversations/messages/review-reply.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClock } from '../helpers/clock.js';
import { ENGINES } from '../helpers/engines.js';
import { createConversation, createLocation, type TestLocation } from '../helpers/factories.js';
import { type Harness, startHarness } from '../helpers/harness.js';
import { summaryOf } from '../helpers/messages.js';

describe.each(ENGINES)('review reply on %s', (engine) => {
  let harness: Harness;
  let location: TestLocation;
  let other: TestLocation;
  const clock = new TestClock();
  let reviews = 0;

  const attachReview = (target: TestLocation, conversationId: string, review: Record<string, unknown>) =>
    harness.admin.patch(null, `/admin/v1/locations/${target.locationId}/conversations/${conversationId}`, { review });
  const reviewConversation = async () => {
    const conversation = await createConversation(location);
    reviews += 1;
    const reviewId = `gmb-review-${reviews}`;
    const attached = await attachReview(location, conversation.id, {
      reviewId,
      rating: 4,
      comment: 'Great service, slow checkout',
      reviewerName: 'Pat Reviewer',
    });
    expect(attached.status).toBe(200);
    return { ...conversation, reviewId };
  };
  const reply = (body: Record<string, unknown>, as: TestLocation = location) =>
    as.api.post('conversations:send-review-reply', '/conversations/messages/review-reply', body);

  beforeAll(async () => {
    harness = await startHarness(engine, { clock, env: { WORKER_ENABLED: 'false' } });
    location = await createLocation(harness);
    other = await createLocation(harness);
  });
  afterAll(() => harness?.close());

  it('attaches a review through the admin API, making the conversation a review conversation', async () => {
    const conversation = await createConversation(location);
    const attached = await attachReview(location, conversation.id, {
      reviewId: 'r-attach',
      rating: 5,
      comment: 'Superb',
    });
    expect(attached.status).toBe(200);
    expect(attached.body.conversation).toMatchObject({ id: conversation.id, type: 4 });
    expect(attached.body.review).toMatchObject({ reviewId: 'r-attach', rating: 5, comment: 'Superb' });
    const read = await location.api.get('conversations:get-conversation', `/conversations/${conversation.id}`);
    expect(read.body.type).toBe(4);
    expect((await summaryOf(location, conversation.id)).type).toBe('TYPE_REVIEW');
    // Replacing it keeps one review per conversation; other admin fields still apply beside it.
    const replaced = await harness.admin.patch(
      null,
      `/admin/v1/locations/${location.locationId}/conversations/${conversation.id}`,
      { review: { reviewId: 'r-attach-2' }, assignedTo: 'user-1' },
    );
    expect(replaced.body.review).toMatchObject({ reviewId: 'r-attach-2' });
    expect(replaced.body.review.rating).toBeUndefined();
    expect(replaced.body.conversation.assignedTo).toBe('user-1');
  });

  it('refuses a bad review, a review of another conversation, and an unknown conversation', async () => {
    const conversation = await createConversation(location);
    for (const review of [{}, { reviewId: '' }, { reviewId: 'x', rating: 6 }, { reviewId: 'x', extra: 1 }]) {
      expect((await attachReview(location, conversation.id, review)).status, JSON.stringify(review)).toBe(422);
    }
    const taken = await reviewConversation();
    const duplicate = await attachReview(location, conversation.id, { reviewId: taken.reviewId });
    expect(duplicate.status).toBe(409);
    expect((await attachReview(location, 'nope', { reviewId: 'y' })).status).toBe(404);
  });

  it('replies with an outbound TYPE_REVIEW message handed to delivery', async () => {
    const conversation = await reviewConversation();
    const at = clock.advance(60_000);
    const sent = await reply({
      conversationId: conversation.id,
      locationId: location.locationId,
      message: 'Thank you for your review!',
    });
    expect(sent.status).toBe(200);
    expect(sent.body).toMatchObject({ conversationId: conversation.id, status: 'pending' });
    const message = await location.api.get(
      'conversations:get-message',
      `/conversations/messages/${sent.body.messageId}`,
    );
    expect(message.body.message).toMatchObject({
      type: 17,
      messageType: 'TYPE_REVIEW',
      direction: 'outbound',
      body: 'Thank you for your review!',
      status: 'pending',
    });
    expect(await summaryOf(location, conversation.id)).toMatchObject({
      lastMessageType: 'TYPE_REVIEW',
      lastMessageBody: 'Thank you for your review!',
      lastMessageDirection: 'outbound',
      lastOutboundMessageAction: 'manual',
      lastMessageDate: at,
      dateUpdated: at,
    });

    await harness.server.services.jobs.runDue();
    const delivered = await location.api.get(
      'conversations:get-message',
      `/conversations/messages/${sent.body.messageId}`,
    );
    expect(delivered.body.message.status).toBe('delivered');
    const outbox = await harness.admin.get(null, `/admin/v1/locations/${location.locationId}/outbox`, {
      query: { limit: 100 },
    });
    const record = outbox.body.outbox.find((r: { messageId: string }) => r.messageId === sent.body.messageId);
    expect(record).toMatchObject({ channel: 'TYPE_REVIEW', payload: { body: 'Thank you for your review!' } });

    const admin = await harness.admin.patch(
      null,
      `/admin/v1/locations/${location.locationId}/conversations/${conversation.id}`,
      {},
    );
    expect(admin.body.review).toMatchObject({ reviewId: conversation.reviewId, replyMessageId: sent.body.messageId });
  });

  it('answers 400 for a conversation without a review', async () => {
    const conversation = await createConversation(location);
    const refused = await reply({
      conversationId: conversation.id,
      locationId: location.locationId,
      message: 'Thanks!',
    });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toBe(`Conversation ${conversation.id} has no review to reply to (no reviewId)`);
  });

  it('answers 404 for an unknown or foreign conversation and 403 for another location', async () => {
    const conversation = await reviewConversation();
    const unknown = await reply({ conversationId: 'nope', locationId: location.locationId, message: 'Thanks!' });
    expect(unknown.status).toBe(404);
    const foreign = await reply(
      { conversationId: conversation.id, locationId: other.locationId, message: 'Thanks!' },
      other,
    );
    expect(foreign.status).toBe(404);
    const otherLocation = await reply({ conversationId: conversation.id, locationId: other.locationId, message: 'Hi' });
    expect(otherLocation.status).toBe(403);
  });

  it('answers 422 for a missing or empty message', async () => {
    const conversation = await reviewConversation();
    const base = { conversationId: conversation.id, locationId: location.locationId };
    for (const body of [
      base,
      { ...base, message: '' },
      { ...base, message: '   ' },
      { locationId: location.locationId, message: 'x' },
    ]) {
      expect((await reply(body)).status, JSON.stringify(body)).toBe(422);
    }
    expect((await reply({ ...base, message: 'x'.repeat(4097) })).status).toBe(422);
  });
});
