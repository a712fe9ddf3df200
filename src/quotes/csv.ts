import { lazyModule } from '../lazy-module.ts';
import type { SourceRow } from './store.ts';

// The sources report as CSV (RFC 4180). `escape_formulas` prefixes a cell a spreadsheet would run as a
// formula, so an exported name can never execute anything (CSV injection).
// Loaded by the first export, not when the server starts (src/lazy-module.ts).
const csv = lazyModule<typeof import('csv-stringify/sync')>('csv-stringify/sync');

export function sourcesCsv(rows: SourceRow[], publicUrl: string): string {
  return csv().stringify(
    rows.map((r) => [r.name, r.role ?? '', r.quotes, r.articles, r.sections.join(' '), `${publicUrl}/people/${r.slug}`]),
    { header: true, columns: ['name', 'role', 'quotes', 'stories', 'sections', 'page'], record_delimiter: 'windows', escape_formulas: true },
  );
}
