import type { SourceRow } from './store.ts';

// The sources report as CSV (RFC 4180). A cell a spreadsheet would run as a formula is prefixed with
// an apostrophe, so an exported name can never execute anything (CSV injection).

function cell(value: string | number): string {
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function sourcesCsv(rows: SourceRow[], publicUrl: string): string {
  const lines = [['name', 'role', 'quotes', 'stories', 'sections', 'page'].join(',')];
  for (const r of rows) lines.push([r.name, r.role ?? '', r.quotes, r.articles, r.sections.join(' '), `${publicUrl}/people/${r.slug}`].map(cell).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
