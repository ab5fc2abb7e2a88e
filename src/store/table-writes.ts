// Counts the writes this process sends to each table, whatever code sends them: a Kysely plugin sees every query
// before it runs and after. In-process caches of rarely changing rows (authenticated tokens) compare a table's
// count to the one they saw when they read it, so any insert, update or delete of that table retires them.
import type {
  KyselyPlugin,
  OperationNode,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely';

type Node = OperationNode & Record<string, unknown>;

function tableName(node: unknown): string | undefined {
  const n = node as Node | undefined;
  if (!n) return undefined;
  if (n.kind === 'AliasNode') return tableName(n.node);
  if (n.kind === 'TableNode') return ((n.table as Node).identifier as { name: string }).name;
  return undefined;
}

/** The tables a raw statement names through `sql.table(...)`: the only way raw SQL may name a watched table. */
function rawTables(node: Node): string[] {
  return ((node.parameters as Node[]) ?? []).flatMap((parameter) => {
    if (parameter?.kind === 'RawNode') return rawTables(parameter); // sql.table(...) is a raw node around its table
    const table = tableName(parameter);
    return table === undefined ? [] : [table];
  });
}

/**
 * The tables a statement writes to, read off the query's tree, never its text. Raw SQL has no tree to read: every
 * table it names through `sql.table(...)` counts as written, whatever the statement does (a spurious count only
 * retires a cache entry early).
 */
export function targets(node: RootOperationNode): string[] {
  const n = node as unknown as Node;
  switch (n.kind) {
    case 'InsertQueryNode':
      return [tableName(n.into)].filter((t): t is string => t !== undefined);
    case 'UpdateQueryNode':
      return [tableName(n.table)].filter((t): t is string => t !== undefined);
    case 'DeleteQueryNode':
      return ((n.from as { froms: unknown[] }).froms ?? []).map(tableName).filter((t): t is string => t !== undefined);
    case 'RawNode':
      return rawTables(n);
    default:
      return [];
  }
}

export class TableWrites implements KyselyPlugin {
  private readonly counts = new Map<string, number>();
  private readonly running = new WeakMap<object, string[]>();

  /** `watched`: the tables whose writes are counted. */
  constructor(private readonly watched: readonly string[]) {}

  /** How many writes to `table` this process has begun and finished so far. */
  count(table: string): number {
    return this.counts.get(table) ?? 0;
  }

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    const tables = targets(args.node).filter((table) => this.watched.includes(table));
    if (tables.length > 0) {
      this.bump(tables);
      this.running.set(args.queryId, tables);
    }
    return args.node;
  }

  // Counted again once the statement has run, so a reader that looked while it ran (on another connection) sees
  // the count move and does not keep what it read.
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const tables = this.running.get(args.queryId);
    if (tables) this.bump(tables);
    return args.result;
  }

  private bump(tables: readonly string[]): void {
    for (const table of tables) this.counts.set(table, this.count(table) + 1);
  }
}
