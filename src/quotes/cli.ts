import { parseArgs } from 'node:util';
import { closeContext, openContext } from '../app.ts';
import type { Config } from '../config.ts';
import { findSiteByKey } from '../sites/store.ts';
import { reextractQuotes } from './commands.ts';

// `parley quotes extract [--site KEY]`: finds who is quoted again in the stored articles — those
// imported before Parley looked for quotes, or all of them after the rules improved. Editors'
// corrections are applied again. Exit codes: 0 done, 2 bad usage.

export const QUOTES_USAGE = 'usage: parley quotes extract [--site KEY]';

export async function quotesCommand(config: Config, args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'extract') {
    console.error(`parley: ${sub ? `unknown quotes command "${sub}"` : 'quotes needs a command'}\n${QUOTES_USAGE}`);
    return 2;
  }
  let site: string | undefined;
  try {
    site = parseArgs({ args: rest, options: { site: { type: 'string' } } }).values.site;
  } catch (error) {
    console.error(`parley: ${(error as Error).message}\n${QUOTES_USAGE}`);
    return 2;
  }
  const ctx = await openContext({ ...config, logLevel: 'silent' });
  try {
    const found = site === undefined ? null : await findSiteByKey(ctx.db.kysely, site);
    if (site !== undefined && !found) {
      console.error(`parley: there is no site "${site}" (parley site list shows them)`);
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
