import { parse, TYPE, isStructurallySame, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';

// What `npm run i18n:check` enforces (scripts/i18n-check.ts reads the files; this decides):
// - every language has exactly the source language's keys;
// - every message parses as ICU MessageFormat;
// - a translation uses the same arguments with the same types as the source, and each `select`
//   offers the same choices (plural categories may differ: languages count differently);
// - every key is used in the code. A key counts as used where it is written whole in quotes or
//   backticks; code that builds keys from data declares their prefix in a comment
//   `// i18n-keys: notification.kind.*` next to where it builds them.

export interface SourceFile {
  path: string;
  text: string;
}

export function checkCatalogs(catalogs: Readonly<Record<string, Readonly<Record<string, string>>>>, sourceLocale: string, files: readonly SourceFile[]): string[] {
  const problems: string[] = [];
  const source = catalogs[sourceLocale];
  if (!source) return [`no catalog for the source language "${sourceLocale}"`];
  const sourceAsts = new Map<string, MessageFormatElement[]>();
  for (const [key, message] of Object.entries(source)) {
    const ast = parseOrReport(problems, sourceLocale, key, message);
    if (ast) sourceAsts.set(key, ast);
  }
  for (const [locale, catalog] of Object.entries(catalogs)) {
    if (locale === sourceLocale) continue;
    for (const key of Object.keys(source)) if (!Object.hasOwn(catalog, key)) problems.push(`${locale}: missing key ${key}`);
    for (const [key, message] of Object.entries(catalog)) {
      if (!Object.hasOwn(source, key)) {
        problems.push(`${locale}: key ${key} is not in ${sourceLocale}`);
        continue;
      }
      const ast = parseOrReport(problems, locale, key, message);
      const expected = sourceAsts.get(key);
      if (ast && expected) problems.push(...argumentProblems(expected, ast).map((p) => `${locale}: ${key}: ${p}`));
    }
  }
  problems.push(...unusedKeys(Object.keys(source), files).map((key) => `unused key ${key} (no code names it; see src/i18n/check.ts for dynamic keys)`));
  return problems;
}

function parseOrReport(problems: string[], locale: string, key: string, message: string): MessageFormatElement[] | null {
  try {
    return parse(message, { ignoreTag: true });
  } catch (error) {
    problems.push(`${locale}: ${key}: not valid ICU MessageFormat (${(error as Error).message})`);
    return null;
  }
}

/** How a translation's arguments differ from the source's: names, types, and each select's choices. */
export function argumentProblems(source: MessageFormatElement[], translation: MessageFormatElement[]): string[] {
  const same = isStructurallySame(source, translation);
  if (!same.success) return [same.error?.message ?? 'arguments differ'];
  const problems: string[] = [];
  const want = selectChoices(source);
  const got = selectChoices(translation);
  for (const [name, choices] of want) {
    const theirs = got.get(name) ?? new Set<string>();
    const missing = [...choices].filter((c) => !theirs.has(c));
    const extra = [...theirs].filter((c) => !choices.has(c));
    if (missing.length > 0 || extra.length > 0) {
      problems.push(`select {${name}} choices differ${missing.length ? `; missing ${missing.join(', ')}` : ''}${extra.length ? `; unknown ${extra.join(', ')}` : ''}`);
    }
  }
  return problems;
}

function selectChoices(elements: MessageFormatElement[], into = new Map<string, Set<string>>()): Map<string, Set<string>> {
  for (const el of elements) {
    if (el.type === TYPE.select || el.type === TYPE.plural) {
      if (el.type === TYPE.select) {
        const set = into.get(el.value) ?? new Set<string>();
        for (const choice of Object.keys(el.options)) set.add(choice);
        into.set(el.value, set);
      }
      for (const option of Object.values(el.options)) selectChoices(option.value, into);
    } else if (el.type === TYPE.tag) selectChoices(el.children, into);
  }
  return into;
}

const DYNAMIC_KEYS = /i18n-keys:\s*([\w.-]+)\.\*/g;

export function unusedKeys(keys: readonly string[], files: readonly SourceFile[]): string[] {
  const prefixes: string[] = [];
  for (const file of files) for (const m of file.text.matchAll(DYNAMIC_KEYS)) prefixes.push(`${m[1]}.`);
  const text = files.map((f) => f.text).join('\n');
  return keys.filter((key) => !prefixes.some((p) => key.startsWith(p)) && !['"', "'", '`'].some((q) => text.includes(`${q}${key}${q}`)));
}

/**
 * The layout of the catalog files (messages/<locale>/<area>.json): every language has the source's
 * areas and no others, an area's keys all start with "<area>.", and what the program loads
 * (catalogs.ts) is exactly what the files hold, so a file added but not imported is noticed.
 */
export function areaProblems(
  files: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, string>>>>>>,
  sourceLocale: string,
  loaded: Readonly<Record<string, Readonly<Record<string, string>>>>,
): string[] {
  const problems: string[] = [];
  const sourceAreas = Object.keys(files[sourceLocale] ?? {});
  for (const [locale, areas] of Object.entries(files)) {
    for (const area of sourceAreas) if (!Object.hasOwn(areas, area)) problems.push(`${locale}: no file ${locale}/${area}.json`);
    for (const [area, messages] of Object.entries(areas)) {
      if (!sourceAreas.includes(area)) problems.push(`${locale}: ${locale}/${area}.json has no ${sourceLocale}/${area}.json`);
      for (const key of Object.keys(messages)) if (!key.startsWith(`${area}.`)) problems.push(`${locale}: key ${key} is in ${area}.json but does not start with "${area}."`);
    }
    const onDisk = new Set(Object.values(areas).flatMap((m) => Object.keys(m)));
    const inProgram = new Set(Object.keys(loaded[locale] ?? {}));
    if (!loaded[locale]) problems.push(`${locale}: catalogs.ts does not load this language`);
    else {
      const notLoaded = [...onDisk].filter((k) => !inProgram.has(k));
      if (notLoaded.length > 0) problems.push(`${locale}: ${notLoaded.length} key(s) on disk that catalogs.ts does not load (an area file not imported?), e.g. ${notLoaded[0]}`);
    }
  }
  for (const locale of Object.keys(loaded)) if (!files[locale]) problems.push(`${locale}: catalogs.ts loads a language with no folder in messages/`);
  return problems;
}
