// PostgreSQL: events are numbered after their transaction commits, not while it runs, so a location's writers stop
// queueing behind its one sequence row. An event is written with a global position and no seq; a short numbering
// step, one at a time per location, gives the committed ones their gap-free seq in position order
// (src/events/numbering.ts). Readers read by seq, so an event is seen only once numbered, and a number is only ever
// given to a committed event: no reader can pass a number whose transaction commits later. SQLite has one writer at
// a time and numbers as it writes: nothing changes there.
import { type Kysely, sql } from 'kysely';
import type { Engine } from '../database.js';

export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  if (engine !== 'postgres') return;
  const statements = [
    'ALTER TABLE domain_events ADD COLUMN pos bigint GENERATED ALWAYS AS IDENTITY',
    'ALTER TABLE domain_events DROP CONSTRAINT domain_events_pk',
    'ALTER TABLE domain_events ALTER COLUMN seq DROP NOT NULL',
    'ALTER TABLE domain_events ADD CONSTRAINT domain_events_pk PRIMARY KEY (pos)',
    'CREATE UNIQUE INDEX domain_events_seq ON domain_events (location_id, seq)',
    'CREATE INDEX domain_events_unnumbered ON domain_events (location_id, pos) WHERE seq IS NULL',
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}
