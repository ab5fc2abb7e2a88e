// Reads the hot paths run thousands of times a second, built and compiled once per database handle and then run
// with new parameters: building and compiling a Kysely query costs more than SQLite takes to answer a point lookup.
import { type Compilable, type CompiledQuery, createQueryId } from 'kysely';
import type { Executor } from './executor.js';

/** Stands in for parameter `i` while the query is built; compiled, it shows where that parameter goes. */
const SLOT = '\u0000slot:';

type Slot = number | { value: unknown };

/**
 * `build` with every parameter replaced by its value on each call; it must use each as a plain value (a
 * comparison, an IN list element, a LIMIT), so the compiled query carries it as a bound parameter. While the query
 * is built, a number parameter is a placeholder string: it may only be handed on, never computed with.
 */
export function preparedRead<Params extends (string | number)[], Row>(
  build: (db: Executor, ...params: Params) => Compilable<Row>,
) {
  const templates = new WeakMap<Executor, { compiled: CompiledQuery<Row>; slots: Slot[] }>();
  return async (db: Executor, ...params: Params): Promise<Row[]> => {
    let template = templates.get(db);
    if (!template) {
      const compiled = build(db, ...(params.map((_, i) => `${SLOT}${i}`) as Params)).compile();
      const slots = compiled.parameters.map(
        (value): Slot =>
          typeof value === 'string' && value.startsWith(SLOT) ? Number(value.slice(SLOT.length)) : { value },
      );
      template = { compiled, slots };
      templates.set(db, template);
    }
    const parameters = template.slots.map((slot) => (typeof slot === 'number' ? params[slot] : slot.value));
    const result = await db.executeQuery<Row>({ ...template.compiled, parameters, queryId: createQueryId() });
    return result.rows;
  };
}
