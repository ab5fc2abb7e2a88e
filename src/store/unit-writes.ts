// The rows a unit of work's own writes returned, for the event recorder to describe them without reading them back
// (two round trips fewer for an inbound message on PostgreSQL). A row is given out only while no later statement of
// the unit wrote to its table, whatever code sent it: the plugin sees every statement of the unit's transaction. Raw
// SQL shows no table it writes (but those named with `sql.table`), so any raw statement retires every row.
import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely';
import { targets } from './table-writes.js';

const ANY_TABLE = '*';

export class UnitWrites implements KyselyPlugin {
  private readonly counts = new Map<string, number>();
  private readonly rows = new Map<string, { row: unknown; table: number; any: number }>();

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    const tables = args.node.kind === 'RawNode' ? [ANY_TABLE] : targets(args.node);
    for (const table of tables) this.counts.set(table, this.count(table) + 1);
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }

  /** Remembers `row` as the unit's write to it just returned it (call right after that write). */
  remember(table: string, id: string, row: unknown): void {
    this.rows.set(`${table}:${id}`, { row, table: this.count(table), any: this.count(ANY_TABLE) });
  }

  /** The row as the unit's own write returned it, unless a statement since may have changed it. */
  known<T>(table: string, id: string): T | undefined {
    const kept = this.rows.get(`${table}:${id}`);
    if (!kept || kept.table !== this.count(table) || kept.any !== this.count(ANY_TABLE)) return undefined;
    return kept.row as T;
  }

  private count(table: string): number {
    return this.counts.get(table) ?? 0;
  }
}
