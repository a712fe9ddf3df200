import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { closeContext, openContext } from '../../src/app.ts';
import { importArticle } from '../../src/articles/commands.ts';
import type { ArticleDraft } from '../../src/articles/model.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { articleQuotes } from '../../src/quotes/store.ts';
import { quotesCommand } from '../../src/quotes/cli.ts';

// `parley quotes extract`: articles stored without their quotes (imported before the feature, or
// whose quotes were lost) get them, and bad usage is refused in one line with exit code 2.

const draft: ArticleDraft = {
  headline: 'Harbour reopens after storm',
  standfirst: null,
  authors: [],
  dateline: null,
  publishedAt: null,
  timeZone: 'UTC',
  image: null,
  body: [{ type: 'paragraph', text: '“We are open for business again,” said Moira Quinn, a spokeswoman for the harbour.' }],
  sourceUrl: 'https://news.example/local/harbour',
  publicationName: null,
};

describe('parley quotes extract', () => {
  let dataDir: string;
  let config: Config;
  let articleId: number;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-quotes-cli-'));
    config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', PARLEY_SEED_EXAMPLE: '0', SQLITE_SYNCHRONOUS: 'NORMAL' });
    const ctx = await openContext(config);
    try {
      articleId = Number((await importArticle(ctx, draft)).article.id);
      // As an article imported before quotes were extracted.
      await ctx.db.kysely.deleteFrom('quotes' as never).execute();
      expect(await articleQuotes(ctx.db.kysely, articleId)).toEqual([]);
    } finally {
      await closeContext(ctx);
    }
  });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('finds the quotes of the stored articles again', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    expect(await quotesCommand(config, ['extract'])).toBe(0);
    expect(JSON.parse(String(log.mock.calls.at(-1)![0]))).toMatchObject({ articles: 1, quotes: 1 });
    log.mockRestore();
    const ctx = await openContext(config);
    try {
      expect(await articleQuotes(ctx.db.kysely, articleId)).toEqual([expect.objectContaining({ name: 'Moira Quinn', role: 'spokeswoman for the harbour' })]);
    } finally {
      await closeContext(ctx);
    }
  });

  it('refuses an unknown subcommand or site in one line', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(await quotesCommand(config, ['extrakt'])).toBe(2);
    expect(await quotesCommand(config, ['extract', '--site', 'nowhere'])).toBe(2);
    expect(error.mock.calls.map((c) => String(c[0]))).toEqual([expect.stringContaining('unknown quotes command "extrakt"'), 'parley: there is no site "nowhere" (parley site list shows them)']);
    error.mockRestore();
  });
});
