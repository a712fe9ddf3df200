import { SqliteDialect, SqliteQueryCompiler, ValueNode, type LimitNode, type OffsetNode, type OperationNode, type QueryCompiler } from 'kysely';

// SQLite (3.53, as better-sqlite3 builds it) plans a LIMIT or OFFSET that is a bound parameter by the
// value bound when it prepared the statement, and so marks the statement expired whenever that
// parameter is bound again: every run of a kept statement with `limit ?` was parsed and planned
// anew, ~8 µs for the author's latest comments read at every post, more for wider queries. A whole
// number is written into the SQL instead, as `limit 5`; Kysely binds it otherwise, even a constant
// one. A prepared query (db/prepared.ts) whose limit is one of its arguments makes a variant per limit
// for the same reason.

const wholeNumber = (node: OperationNode): number | null =>
  ValueNode.is(node) && !node.immediate && typeof node.value === 'number' && Number.isSafeInteger(node.value) && node.value >= 0 ? node.value : null;

export class LiteralLimitSqliteCompiler extends SqliteQueryCompiler {
  protected override visitLimit(node: LimitNode): void {
    const n = wholeNumber(node.limit);
    if (n === null) super.visitLimit(node);
    else this.append(`limit ${n}`);
  }

  protected override visitOffset(node: OffsetNode): void {
    const n = wholeNumber(node.offset);
    if (n === null) super.visitOffset(node);
    else this.append(`offset ${n}`);
  }
}

export class ParleySqliteDialect extends SqliteDialect {
  override createQueryCompiler(): QueryCompiler {
    return new LiteralLimitSqliteCompiler();
  }
}
