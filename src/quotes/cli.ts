import { parseArgs } from 'node:util';
import { closeContext, openContext } from '../app.ts';
import type { Config } from '../config.ts';
import { findSiteByKey } from '../sites/store.ts';
import { reextractQuotes } from './commands.ts';
import { cliTranslator } from '../i18n/cli.ts';
import type { Translator } from '../i18n/translator.ts';

// `parley quotes extract [--site KEY]`: finds who is quoted again in the stored articles — those
// imported before Parley looked for quotes, or all of them after the rules improved. Editors'
// corrections are applied again. Exit codes: 0 done, 2 bad usage. Words for people follow the
// shell's language (LANG, i18n/cli.ts); the JSON result does not.

export const QUOTES_USAGE = cliTranslator({}).t('cli.quotes.usage');

export async function quotesCommand(config: Config, args: string[], { t }: Translator = cliTranslator()): Promise<number> {
  const [sub, ...rest] = args;
  const usage = t('cli.quotes.usage');
  if (sub !== 'extract') {
    console.error(`parley: ${sub ? t('cli.quotes.unknown', { command: sub }) : t('cli.quotes.none')}\n${usage}`);
    return 2;
  }
  let site: string | undefined;
  try {
    site = parseArgs({ args: rest, options: { site: { type: 'string' } } }).values.site;
  } catch (error) {
    console.error(`parley: ${(error as Error).message}\n${usage}`);
    return 2;
  }
  const ctx = await openContext({ ...config, logLevel: 'silent' });
  try {
    const found = site === undefined ? null : await findSiteByKey(ctx.db.kysely, site);
    if (site !== undefined && !found) {
      console.error(`parley: ${t('cli.site.noSite', { key: site })}`);
      return 2;
    }
    const started = performance.now();
    const result = await reextractQuotes(ctx, found ? { siteId: found.id } : {});
    console.log(JSON.stringify({ ...result, ms: Math.round(performance.now() - started) }));
    return 0;
  } finally {
    await closeContext(ctx);
  }
}
