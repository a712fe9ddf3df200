import { parseArgs } from 'node:util';
import { closeContext, openContext } from '../app.ts';
import type { Config } from '../config.ts';
import { articleCountsBySite, createSiteAudited, updateSiteAudited } from './admin-commands.ts';
import { presentSite } from './admin-presenter.ts';
import { findSiteByKey, listSites, SiteRefused } from './store.ts';
import { cliTranslator } from '../i18n/cli.ts';
import type { Translator } from '../i18n/translator.ts';

// `parley site …`: sites from the command line, audited like the admin pages' changes (with no
// actor: the audit log shows "system"). Exit codes: 0 done, 2 bad usage or a value Parley refuses;
// every refusal is one line on standard error. Words for people follow the shell's language
// (LANG, i18n/cli.ts); JSON does not.

/** How to call `parley site`, in the shell's language. */
export const siteUsage = (i18n: Translator = cliTranslator()) => i18n.t('cli.site.usage');
export const SITE_USAGE = siteUsage(cliTranslator({}));

/** Bad input: one line, exit code 2. */
export class SiteUsageProblem extends Error {}

type Ctx = Awaited<ReturnType<typeof openContext>>;

async function withContext<T>(config: Config, body: (ctx: Ctx) => Promise<T>): Promise<T> {
  const ctx = await openContext({ ...config, logLevel: 'silent' });
  try {
    return await body(ctx);
  } finally {
    await closeContext(ctx);
  }
}

const ORIGIN_OPTIONS = { name: { type: 'string' }, origin: { type: 'string', multiple: true }, key: { type: 'string' }, locale: { type: 'string' } } as const;

/** `--origin A B` and `--origin A --origin B` both give two origins: the words after the options are origins too. */
function originsOf(t: Translator['t'], values: { origin?: string[] }, extra: string[]): string[] | undefined {
  if (!values.origin && extra.length === 0) return undefined;
  if (!values.origin) throw new SiteUsageProblem(t('cli.site.originsAfter', { word: extra[0] }));
  return [...values.origin, ...extra];
}

async function create(config: Config, args: string[], { t }: Translator): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: ORIGIN_OPTIONS });
  if (!values.name?.trim()) throw new SiteUsageProblem(t('cli.site.createName'));
  const origins = originsOf(t, values, positionals);
  if (!origins?.length) throw new SiteUsageProblem(t('cli.site.createOrigin'));
  return withContext(config, async (ctx) => {
    const site = await createSiteAudited(ctx, null, { name: values.name!, origins, ...(values.key !== undefined ? { key: values.key } : {}), ...(values.locale ? { locale: values.locale } : {}) });
    console.log(JSON.stringify({ key: site.key, name: site.name, origins: site.origins }));
    return 0;
  });
}

async function list(config: Config, args: string[], { t }: Translator): Promise<number> {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean' } } });
  return withContext(config, async (ctx) => {
    const [sites, counts] = [await listSites(ctx.db.kysely), await articleCountsBySite(ctx.db.kysely)];
    if (values.json) {
      console.log(JSON.stringify(sites.map((site) => presentSite(site, counts.get(site.id) ?? 0, config.publicUrl))));
      return 0;
    }
    for (const site of sites) {
      const n = counts.get(site.id) ?? 0;
      console.log(t('cli.site.line', { key: site.key, name: site.name, origins: site.origins.join(' ') || t('cli.site.noOrigins'), count: n }));
    }
    return 0;
  });
}

async function update(config: Config, args: string[], { t }: Translator): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { name: ORIGIN_OPTIONS.name, origin: ORIGIN_OPTIONS.origin, locale: ORIGIN_OPTIONS.locale } });
  const [key, ...extra] = positionals;
  if (!key) throw new SiteUsageProblem(t('cli.site.updateKey'));
  const origins = originsOf(t, values, extra);
  if (values.name === undefined && origins === undefined && values.locale === undefined) throw new SiteUsageProblem(t('cli.site.updateWhat'));
  return withContext(config, async (ctx) => {
    const site = await findSiteByKey(ctx.db.kysely, key);
    if (!site) throw new SiteUsageProblem(t('cli.site.noSite', { key }));
    // --locale "" goes back to the service's language.
    const locale = values.locale === undefined ? {} : { locale: values.locale || null };
    const updated = await updateSiteAudited(ctx, null, site, { ...(values.name !== undefined ? { name: values.name } : {}), ...(origins ? { origins } : {}), ...locale });
    console.log(JSON.stringify({ key: updated.key, name: updated.name, origins: updated.origins }));
    return 0;
  });
}

export async function siteCommand(config: Config, args: string[], i18n: Translator = cliTranslator()): Promise<number> {
  const [sub, ...rest] = args;
  try {
    if (sub === 'create') return await create(config, rest, i18n);
    if (sub === 'list') return await list(config, rest, i18n);
    if (sub === 'update') return await update(config, rest, i18n);
    throw new SiteUsageProblem(sub ? i18n.t('cli.site.unknown', { command: sub }) : i18n.t('cli.site.none'));
  } catch (error) {
    if (error instanceof SiteUsageProblem || error instanceof SiteRefused || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      // Quotes the refusal as the admin pages do, on one line: scripts read the first line.
      console.error(`parley: ${(error as Error).message.replace(/\s*\n\s*/g, ' ')}`);
      return 2;
    }
    throw error;
  }
}

/** The site `import --site KEY` names, or a one-line refusal. */
export async function importSite(ctx: Ctx, key: string, i18n: Translator = cliTranslator()): Promise<{ id: number; key: string }> {
  const site = await findSiteByKey(ctx.db.kysely, key);
  if (!site) throw new SiteUsageProblem(i18n.t('cli.site.noSite', { key }));
  return site;
}
