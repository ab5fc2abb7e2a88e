// PostgreSQL: the numbering of committed events (src/events/numbering.ts) as one function, so a numbering run is one
// statement and one round trip for any number of locations, its sequence rows held only while the database runs it
// (never across a round trip to the server). SQLite numbers as it writes: nothing changes there.
import { type Kysely, sql } from 'kysely';
import type { Engine } from '../database.js';

export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  if (engine !== 'postgres') return;
  // Each statement of a VOLATILE function takes a fresh snapshot (READ COMMITTED): once the sequence rows are locked,
  // the numbering sees every event committed before, including those a run that held the rows just numbered. The rows
  // are locked in location order, so two servers numbering overlapping sets wait for each other but never deadlock.
  await sql`
    CREATE FUNCTION switchboard_number_events(locations text[], batch integer)
    RETURNS TABLE (location_id text, head bigint, numbered integer)
    LANGUAGE plpgsql VOLATILE AS $fn$
    #variable_conflict use_column
    BEGIN
      INSERT INTO location_event_seqs AS s (location_id, seq)
        SELECT DISTINCT l.id, 0 FROM unnest(locations) AS l(id)
        WHERE NOT EXISTS (SELECT 1 FROM location_event_seqs x WHERE x.location_id = l.id)
        ON CONFLICT (location_id) DO NOTHING;
      PERFORM 1 FROM location_event_seqs s WHERE s.location_id = ANY (locations) ORDER BY s.location_id FOR UPDATE;
      RETURN QUERY
        WITH next AS (
          SELECT e.pos, s.location_id, s.seq + row_number() OVER (PARTITION BY s.location_id ORDER BY e.pos) AS seq
          FROM location_event_seqs s
          CROSS JOIN LATERAL (
            SELECT d.pos FROM domain_events d
            WHERE d.location_id = s.location_id AND d.seq IS NULL ORDER BY d.pos LIMIT batch) e
          WHERE s.location_id = ANY (locations)),
        given AS (
          UPDATE domain_events d SET seq = next.seq FROM next WHERE d.pos = next.pos
          RETURNING d.location_id, d.seq),
        heads AS (
          SELECT g.location_id, max(g.seq) AS head, count(*)::integer AS numbered FROM given g GROUP BY g.location_id)
        UPDATE location_event_seqs s SET seq = heads.head FROM heads WHERE s.location_id = heads.location_id
        RETURNING s.location_id, s.seq, heads.numbered;
    END
    $fn$`.execute(db);
}
