// Intl.DateTimeFormat is slow to make (~100 µs: it loads locale and zone data) and fast to use
// (~5 µs). A page of 80 comments formats 80 times, so every formatter is made once per options.

const formatters = new Map<string, Intl.DateTimeFormat>();

export function dateFormatter(options: Intl.DateTimeFormatOptions, locale = 'en-GB'): Intl.DateTimeFormat {
  const key = `${locale} ${JSON.stringify(options)}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(locale, options);
    // Keyed by options that come from code, plus articles' time zones: a small set. The bound keeps
    // a flood of odd zones from growing it without limit.
    if (formatters.size >= 500) formatters.clear();
    formatters.set(key, formatter);
  }
  return formatter;
}

/**
 * A comment's `<time datetime>`: to the second, which is all a reader's clock (or "5 minutes ago")
 * needs, without the milliseconds of toISOString that every comment of a page would carry.
 */
export const dateTimeAttribute = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z');
