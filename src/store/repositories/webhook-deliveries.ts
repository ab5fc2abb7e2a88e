// The webhook delivery log: one row per webhook per app, with every attempt made to deliver it.
import type { Executor } from '../executor.js';
import type { WebhookAttemptsTable, WebhookDeliveriesTable } from '../schema.js';

export type WebhookDeliveryRow = WebhookDeliveriesTable;
export type WebhookAttemptRow = WebhookAttemptsTable;

export async function insertWebhookDelivery(db: Executor, row: WebhookDeliveryRow): Promise<void> {
  await db.insertInto('webhook_deliveries').values(row).execute();
}

export async function findWebhookDelivery(db: Executor, id: string): Promise<WebhookDeliveryRow | undefined> {
  return db.selectFrom('webhook_deliveries').selectAll().where('id', '=', id).executeTakeFirst();
}

/** An app's deliveries, newest first, strictly before the `before` delivery when given; one extra row says more. */
export async function listWebhookDeliveries(
  db: Executor,
  appId: string,
  options: { limit: number; status?: string; before?: WebhookDeliveryRow },
): Promise<{ rows: WebhookDeliveryRow[]; more: boolean }> {
  let query = db.selectFrom('webhook_deliveries').selectAll().where('app_id', '=', appId);
  if (options.status) query = query.where('status', '=', options.status);
  const before = options.before;
  if (before) {
    query = query.where((eb) =>
      eb.or([
        eb('created_at', '<', before.created_at),
        eb.and([eb('created_at', '=', before.created_at), eb('id', '<', before.id)]),
      ]),
    );
  }
  const rows = await query
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(options.limit + 1)
    .execute();
  return { rows: rows.slice(0, options.limit), more: rows.length > options.limit };
}

export async function attemptsOf(db: Executor, deliveryId: string): Promise<WebhookAttemptRow[]> {
  return db
    .selectFrom('webhook_attempts')
    .selectAll()
    .where('delivery_id', '=', deliveryId)
    .orderBy('attempt')
    .execute();
}

/**
 * Records one attempt and where the delivery now stands (delivered on a 2xx, else still pending), in one transaction,
 * and answers the attempt's number. The number follows the attempts already logged, not the delivery's count: a
 * delivery whose count fell behind its log (a crash between the two writes, before they shared a transaction) would
 * otherwise collide with a logged attempt after every send, forever.
 */
export async function recordWebhookAttempt(
  db: Executor,
  attempt: Omit<WebhookAttemptRow, 'attempt'>,
  delivered: boolean,
): Promise<number> {
  const record = async (tx: Executor) => {
    const last = await tx
      .selectFrom('webhook_attempts')
      .select((eb) => eb.fn.max('attempt').as('attempt'))
      .where('delivery_id', '=', attempt.delivery_id)
      .executeTakeFirst();
    const number = Number(last?.attempt ?? 0) + 1;
    await tx
      .insertInto('webhook_attempts')
      .values({ ...attempt, attempt: number })
      .execute();
    await tx
      .updateTable('webhook_deliveries')
      .set({
        attempts: number,
        last_status_code: attempt.status_code,
        last_error: attempt.error,
        updated_at: attempt.attempted_at,
        ...(delivered ? { status: 'delivered', delivered_at: attempt.attempted_at } : {}),
      })
      .where('id', '=', attempt.delivery_id)
      .execute();
    return number;
  };
  return db.isTransaction ? record(db) : db.transaction().execute(record);
}

/** Moves a delivery to `status` when it is in one of `from`; answers whether it moved. */
export async function moveWebhookDelivery(
  db: Executor,
  id: string,
  from: readonly string[],
  status: string,
  at: number,
): Promise<boolean> {
  const result = await db
    .updateTable('webhook_deliveries')
    .set({ status, updated_at: at })
    .where('id', '=', id)
    .where('status', 'in', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * Deletes up to `limit` deliveries that ended (delivered or dead) and last changed before `before`, with their attempts,
 * in one transaction; answers how many deliveries.
 */
export async function deleteEndedWebhookDeliveries(db: Executor, before: number, limit: number): Promise<number> {
  const work = async (tx: Executor) => {
    const ids = (
      await tx
        .selectFrom('webhook_deliveries')
        .select('id')
        .where('status', 'in', ['delivered', 'dead'])
        .where('updated_at', '<', before)
        .limit(limit)
        .execute()
    ).map((row) => row.id);
    if (ids.length === 0) return 0;
    await tx.deleteFrom('webhook_attempts').where('delivery_id', 'in', ids).execute();
    const result = await tx.deleteFrom('webhook_deliveries').where('id', 'in', ids).executeTakeFirst();
    return Number(result.numDeletedRows);
  };
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}
