// Interop: sending, recording and cancelling messages through the official SDK, as an integrator calls them.
import { randomInt } from 'node:crypto';
import { GHLNotFoundError, GHLValidationError, type HighLevel } from '@gohighlevel/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClock } from '../helpers/clock.js';
import { ENGINES } from '../helpers/engines.js';
import { createContact, createLocation, type TestLocation } from '../helpers/factories.js';
import { type Harness, startHarness } from '../helpers/harness.js';
import { expectSpec, highLevelClient, sdkError } from '../helpers/sdk.js';
import { specErrors } from '../helpers/spec-validator.js';

type SendBody = Parameters<HighLevel['conversations']['sendANewMessage']>[0];
type InboundBody = Parameters<HighLevel['conversations']['addAnInboundMessage']>[0];

/**
 * The SDK's types mark `subType` and `status` required, as the spec does; real integrators leave them out and
 * production accepts that (docs/behaviour.md#lenient-inputs), so the bodies here do too.
 */
const sendBody = (body: Omit<SendBody, 'subType' | 'status'>) => body as SendBody;
/** Likewise `conversationProviderId` and `contactId` on inbound: only a custom provider's inbound names one. */
const inboundBody = (body: Partial<InboundBody> & Pick<InboundBody, 'type'>) => body as InboundBody;

describe.each(ENGINES)('official SDK on messages on %s', (engine) => {
  const clock = new TestClock();
  let harness: Harness;
  let location: TestLocation;
  let sdk: HighLevel;

  beforeAll(async () => {
    harness = await startHarness(engine, { clock, env: { WORKER_ENABLED: 'false' } });
    location = await createLocation(harness);
    sdk = highLevelClient(harness.baseUrl, location.token);
  });
  afterAll(() => harness?.close());

  const phoneContact = async () => (await createContact(location, { phone: `+1555${randomInt(1e6, 1e7 - 1)}` })).id;

  it('sends an SMS and records an inbound reply in the same conversation', async () => {
    const contactId = await phoneContact();
    const sent = expectSpec(
      'conversations:send-a-new-message',
      200,
      await sdk.conversations.sendANewMessage(sendBody({ type: 'SMS', contactId, message: 'Hello from the SDK' })),
    );
    expect(sent).toMatchObject({ messageId: expect.any(String), conversationId: expect.any(String) });
    expect(await harness.server.services.jobs.runDue()).toBe(1);

    const inbound = expectSpec(
      'conversations:add-an-inbound-message',
      200,
      await sdk.conversations.addAnInboundMessage(
        inboundBody({ type: 'SMS', conversationId: sent.conversationId, message: 'Hi back' }),
      ),
    );
    expect(inbound).toMatchObject({ success: true, conversationId: sent.conversationId, contactId });
    expect(inbound.messageId).not.toBe(sent.messageId);
  });

  it('schedules a message and cancels it; a second cancel and an unknown id are refused', async () => {
    const contactId = await phoneContact();
    const scheduled = expectSpec(
      'conversations:send-a-new-message',
      200,
      await sdk.conversations.sendANewMessage(
        sendBody({
          type: 'SMS',
          contactId,
          message: 'In an hour',
          scheduledTimestamp: Math.floor(clock.now() / 1000) + 3600,
        }),
      ),
    );
    expect(scheduled.msg).toBe('Message scheduled successfully.');

    const cancelled = expectSpec(
      'conversations:cancel-scheduled-message',
      200,
      await sdk.conversations.cancelScheduledMessage({ messageId: scheduled.messageId }),
    );
    expect(cancelled).toMatchObject({ status: 200, message: 'Scheduled message cancelled successfully' });

    clock.advance(2 * 3_600_000);
    expect(await harness.server.services.jobs.runDue()).toBe(0);

    const again = await sdkError(sdk.conversations.cancelScheduledMessage({ messageId: scheduled.messageId }));
    expect(again).toBeInstanceOf(GHLValidationError);
    expect(again.statusCode).toBe(400);
    expect(specErrors('conversations', 'cancel-scheduled-message', 400, again.response)).toEqual([]);
    expect(again.response).toMatchObject({ status: 400 });

    const unknown = await sdkError(sdk.conversations.cancelScheduledMessage({ messageId: 'aaaaaaaaaaaaaaaaaaaa' }));
    expect(unknown).toBeInstanceOf(GHLNotFoundError);
    expect(specErrors('conversations', 'cancel-scheduled-message', 404, unknown.response)).toEqual([]);
  });

  it('refuses a scheduledTimestamp given in milliseconds', async () => {
    const error = await sdkError(
      sdk.conversations.sendANewMessage(
        sendBody({ type: 'SMS', contactId: await phoneContact(), message: 'x', scheduledTimestamp: clock.now() }),
      ),
    );
    expect(error).toBeInstanceOf(GHLValidationError);
    expect(error.statusCode).toBe(422);
    expect(specErrors('conversations', 'send-a-new-message', 422, error.response)).toEqual([]);
  });
});
