// `npm run i18n:check`: fails when a language misses or invents keys, when a translation's
// arguments differ from English, or when the code no longer uses a key (rules: src/i18n/check.ts).
import fs from 'node:fs';
import path from 'node:path';
import { checkCatalogs, type SourceFile } from '../src/i18n/check.ts';
import { SOURCE_LOCALE } from '../src/i18n/locales.ts';

const root = path.resolve(import.meta.dirname, '..');
const messagesDir = path.join(root, 'src/i18n/messages');

const catalogs: Record<string, Record<string, string>> = {};
for (const name of fs.readdirSync(messagesDir).filter((f) => f.endsWith('.json'))) {
  catalogs[path.basename(name, '.json')] = JSON.parse(fs.readFileSync(path.join(messagesDir, name), 'utf8')) as Record<string, string>;
}

function sources(dir: string): SourceFile[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry): SourceFile[] => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return full === messagesDir ? [] : sources(full);
    if (!/\.tsx?$/.test(entry.name) || /\.test\.tsx?$/.test(entry.name)) return [];
    return [{ path: path.relative(root, full), text: fs.readFileSync(full, 'utf8') }];
  });
}

const problems = checkCatalogs(catalogs, SOURCE_LOCALE, sources(path.join(root, 'src')));
const languages = Object.keys(catalogs).join(', ');
if (problems.length > 0) {
  console.error(`i18n:check: ${problems.length} problem${problems.length === 1 ? '' : 's'} in the catalogs (${languages}):`);
  for (const problem of problems) console.error(`  - ${problem}`);
  process.exit(1);
}
console.log(`i18n:check: ${Object.keys(catalogs[SOURCE_LOCALE] ?? {}).length} keys, complete and consistent in ${languages}`);
