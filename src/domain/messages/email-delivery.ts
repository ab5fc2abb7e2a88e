// What the built-in email service learned while sending an email: LCEmailStats-style event counters, merged by the
// same rules as a custom provider's status report (docs/behaviour.md#provider-reports), and the outcome per recipient.
import { type EmailRow, findEmailById } from '../../store/repositories/emails.js';
import type { Tx } from '../../store/unit-of-work.js';
import { applyEventReport, type EmailEvents, type RecipientUpdate, upsertRecipients } from '../email-status.js';

export interface EmailDeliveryFacts {
  emailEvents?: EmailEvents;
  recipients?: RecipientUpdate[];
}

/** Records the facts on the email, inside the transaction that records the delivery's status. */
export async function recordEmailDelivery(
  tx: Tx,
  sent: Pick<EmailRow, 'id'>,
  facts: EmailDeliveryFacts,
  now: number,
): Promise<void> {
  if (!facts.emailEvents && !facts.recipients?.length) return;
  const email = await findEmailById(tx.db, sent.id);
  if (!email) return;
  const at = new Date(now).toISOString();
  const { events, timestamps } = applyEventReport(
    {
      events: email.events,
      timestamps: email.event_first_at,
      openTracking: email.open_tracking,
    },
    facts.emailEvents ?? {},
    at,
  );
  let recipients = email.recipients;
  if (facts.recipients?.length) {
    const originals = [...email.to_addresses, ...email.cc, ...email.bcc];
    // The server names recipients as it was given them; one it spells differently is left out, not an error.
    const known = facts.recipients.filter((r) => originals.some((o) => o.toLowerCase() === r.emailId.toLowerCase()));
    const upserted = upsertRecipients(recipients, known, originals, at);
    if (upserted.ok) recipients = upserted.recipients;
  }
  await tx.emails.update(email, {
    events: events,
    event_first_at: timestamps,
    recipients: recipients,
    date_updated: now,
  });
}
