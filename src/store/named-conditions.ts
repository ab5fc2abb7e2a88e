// A query's WHERE conditions, each named for what it narrows. A kept count answers a total only for one exact set
// of names, so a filter added later (under a new name) can never be taken for no filter at all.
import type { Expression, SqlBool } from 'kysely';

export class NamedConditions<Name extends string> {
  private readonly list: { name: Name; expression: Expression<SqlBool> }[] = [];

  add(name: Name, expression: Expression<SqlBool>): this {
    this.list.push({ name, expression });
    return this;
  }

  get expressions(): Expression<SqlBool>[] {
    return this.list.map((condition) => condition.expression);
  }

  /** Whether the conditions are exactly these: each name present, and no other. */
  are(...names: Name[]): boolean {
    const present = new Set(this.list.map((condition) => condition.name));
    return present.size === names.length && names.every((name) => present.has(name));
  }
}
