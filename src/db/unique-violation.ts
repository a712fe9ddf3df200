/**
 * True when the database refused a row because of a unique constraint on that column: what a write
 * that checked first and then inserted meets when another transaction inserted the same value between
 * the two (PostgreSQL runs such transactions side by side; SQLite's writes never overlap).
 */
export function isUniqueViolation(error: unknown, column: string): boolean {
  const e = error as { code?: string; message?: string; constraint?: string; detail?: string };
  if (e?.code === 'SQLITE_CONSTRAINT_UNIQUE') return Boolean(e.message?.includes(`.${column}`));
  if (e?.code === '23505') return Boolean(e.constraint?.includes(column) || e.detail?.includes(`(${column})`));
  return false;
}
