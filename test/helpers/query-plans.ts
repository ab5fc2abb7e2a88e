// Query plans read as the planners produce them: SQLite's EXPLAIN QUERY PLAN lines, PostgreSQL's JSON plan tree
// flattened to its nodes (with sequential scans optionally disabled, as the index proofs may do).
import { CompiledQuery, sql } from 'kysely';
import type { Harness } from './harness.js';

export interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  Plans?: PlanNode[];
}

export function flatten(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(flatten)];
}

/** SQLite: the plan's detail lines; PostgreSQL: every node of its plan. */
export async function explain(
  harness: Harness,
  query: CompiledQuery,
  options: { seqscan?: boolean } = {},
): Promise<string[] | PlanNode[]> {
  const { db } = harness.server.store;
  return db.connection().execute(async (connection) => {
    if (harness.engine === 'sqlite') {
      const result = await connection.executeQuery<{ detail: string }>(
        CompiledQuery.raw(`EXPLAIN QUERY PLAN ${query.sql}`, [...query.parameters]),
      );
      return result.rows.map((row) => row.detail);
    }
    const seqscan = options.seqscan ?? true;
    if (!seqscan) await sql`SET enable_seqscan = off`.execute(connection);
    try {
      const result = await connection.executeQuery<{ 'QUERY PLAN': { Plan: PlanNode }[] }>(
        CompiledQuery.raw(`EXPLAIN (FORMAT JSON) ${query.sql}`, [...query.parameters]),
      );
      const [row] = result.rows;
      if (!row) throw new Error('EXPLAIN answered no plan');
      return flatten((row['QUERY PLAN'][0] as { Plan: PlanNode }).Plan);
    } finally {
      if (!seqscan) await sql`RESET enable_seqscan`.execute(connection);
    }
  });
}
