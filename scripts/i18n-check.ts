// `npm run i18n:check`: fails when a language misses or invents keys, when a translation's
// arguments differ from English, when the code no longer uses a key, or when a catalog file breaks
// the layout messages/<locale>/<area>.json (rules: src/i18n/check.ts).
import fs from 'node:fs';
import path from 'node:path';
import { areaProblems, checkCatalogs, type SourceFile } from '../src/i18n/check.ts';
import { CATALOGS } from '../src/i18n/catalogs.ts';
import { SOURCE_LOCALE } from '../src/i18n/locales.ts';

const root = path.resolve(import.meta.dirname, '..');
const messagesDir = path.join(root, 'src/i18n/messages');

/** locale → area → messages, as the files on disk hold them. */
const files: Record<string, Record<string, Record<string, string>>> = {};
for (const locale of fs.readdirSync(messagesDir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name)) {
  files[locale] = {};
  for (const name of fs.readdirSync(path.join(messagesDir, locale)).filter((f) => f.endsWith('.json'))) {
    files[locale][path.basename(name, '.json')] = JSON.parse(fs.readFileSync(path.join(messagesDir, locale, name), 'utf8')) as Record<string, string>;
  }
}

function sources(dir: string): SourceFile[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry): SourceFile[] => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return full === messagesDir ? [] : sources(full);
    if (!/\.tsx?$/.test(entry.name) || /\.test\.tsx?$/.test(entry.name)) return [];
    return [{ path: path.relative(root, full), text: fs.readFileSync(full, 'utf8') }];
  });
}

const catalogs = Object.fromEntries(Object.entries(files).map(([locale, areas]) => [locale, Object.assign({}, ...Object.values(areas)) as Record<string, string>]));
const problems = [
  ...areaProblems(files, SOURCE_LOCALE, CATALOGS),
  ...checkCatalogs(catalogs, SOURCE_LOCALE, sources(path.join(root, 'src'))),
];
const languages = Object.keys(catalogs).join(', ');
if (problems.length > 0) {
  console.error(`i18n:check: ${problems.length} problem${problems.length === 1 ? '' : 's'} in the catalogs (${languages}):`);
  for (const problem of problems) console.error(`  - ${problem}`);
  process.exit(1);
}
console.log(`i18n:check: ${Object.keys(catalogs[SOURCE_LOCALE] ?? {}).length} keys in ${Object.keys(files[SOURCE_LOCALE] ?? {}).length} areas, complete and consistent in ${languages}`);
