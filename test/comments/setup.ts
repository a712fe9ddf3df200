import fs from 'node:fs';
import { importArticle } from '../../src/articles/commands.ts';
import { parseArticleFile } from '../../src/articles/import-file.ts';
import type { Article } from '../../src/articles/model.ts';
import { setSetting } from '../../src/settings/store.ts';
import type { Settings } from '../../src/settings/model.ts';
import { EXAMPLE_FILE, startTestApp, type TestApp, type TestDialect } from '../helpers/app.ts';
import type { TestClient } from '../helpers/client.ts';
import { createTestUser, signedInClient, type TestUser } from '../helpers/users.ts';
import type { Role } from '../../src/accounts/model.ts';
import { expect } from 'vitest';

/** Posts as a reader through the API and insists it was accepted; the comment as the API returned it. */
export async function postComment(client: TestClient, articleSlug: string, body: string, parentId?: number): Promise<{ id: number; bodyHtml: string }> {
  const res = await client.post(`/api/v1/articles/${articleSlug}/comments`, { body, ...(parentId ? { parentId } : {}) });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.comment as { id: number; bodyHtml: string };
}

export interface Conversation {
  app: TestApp;
  article: Article;
  reader(options?: { displayName?: string; role?: Role; verified?: boolean }): Promise<{ user: TestUser; client: TestClient }>;
  set<K extends keyof Settings>(key: K, value: Settings[K]): Promise<void>;
  /** Another article, e.g. to check that threads never cross. */
  importArticle(headline: string): Promise<Article>;
}

/** A server with the example article, no rate limit between posts (tests that need it turn it on). */
export async function startConversation(dialect: TestDialect): Promise<Conversation> {
  const app = await startTestApp(dialect);
  const draft = await parseArticleFile(fs.readFileSync(EXAMPLE_FILE), EXAMPLE_FILE, { publicationName: 'The Independent' });
  const { article } = await importArticle(app.ctx, draft);
  await setSetting(app.ctx.db.kysely, 'commentIntervalSeconds', 0);
  // These tests are about the conversation itself; the moderation pipeline's spam hold (which holds
  // their link-and-markup test texts) is tested in test/moderation. Every other rule stays on.
  await setSetting(app.ctx.db.kysely, 'spamHoldThreshold', 1);
  return {
    app,
    article,
    async reader(options = {}) {
      const user = await createTestUser(app.ctx, options);
      return { user, client: await signedInClient(app.ctx, app.baseUrl, user) };
    },
    set: (key, value) => setSetting(app.ctx.db.kysely, key, value),
    async importArticle(headline) {
      const { article: other } = await importArticle(app.ctx, { ...draft, headline, sourceUrl: `https://example.test/${encodeURIComponent(headline)}` });
      return other;
    },
  };
}
