import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type RunningApp } from '../../src/app.ts';
import { importArticle } from '../../src/articles/commands.ts';
import { parseArticleFile } from '../../src/articles/import-file.ts';
import { loadConfig } from '../../src/config.ts';
import { setSetting } from '../../src/settings/store.ts';
import { EXAMPLE_FILE, testSchemaName, TEST_SERVER_SHEDDING } from '../helpers/app.ts';
import { TestClient } from '../helpers/client.ts';
import { createTestUser, signedInClient } from '../helpers/users.ts';

// Two application nodes on one PostgreSQL schema, each with its own connection pool, as behind a load
// balancer: readers post on both at once, and either node's lists count every comment exactly once.

const pgUrl = process.env.PARLEY_TEST_DATABASE_URL?.trim() || null;

describe.runIf(pgUrl)('conversation activity across two nodes on one PostgreSQL', () => {
  const schema = testSchemaName('t');
  const nodes: (RunningApp & { baseUrl: string })[] = [];
  const dirs: string[] = [];
  let slug = '';

  beforeAll(async () => {
    for (let i = 0; i < 2; i++) {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `parley-alive-node${i}-`));
      dirs.push(dataDir);
      const config = loadConfig({ ...TEST_SERVER_SHEDDING, DATA_DIR: dataDir, LOG_LEVEL: 'silent', PARLEY_SEED_EXAMPLE: '0', PORT: '0', PUBLIC_URL: 'http://parley.test', DATABASE_URL: pgUrl! });
      const app = await createApp(config, { pgSchema: schema });
      await app.server.listen({ port: 0, host: '127.0.0.1' });
      const address = app.server.server.address();
      if (!address || typeof address === 'string') throw new Error('no port');
      nodes.push({ ...app, baseUrl: `http://127.0.0.1:${address.port}` });
    }
    const ctx = nodes[0]!.ctx;
    const draft = await parseArticleFile(fs.readFileSync(EXAMPLE_FILE), EXAMPLE_FILE, { publicationName: 'The Independent' });
    slug = (await importArticle(ctx, draft)).article.slug;
    await setSetting(ctx.db.kysely, 'commentIntervalSeconds', 0);
    await setSetting(ctx.db.kysely, 'spamHoldThreshold', 1);
  }, 60_000);

  afterAll(async () => {
    for (const node of nodes) await node.close();
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('counts comments posted on both nodes at once', async () => {
    const readers = await Promise.all(
      Array.from({ length: 6 }, async (_, i) => {
        const node = nodes[i % 2]!;
        return signedInClient(node.ctx, node.baseUrl, await createTestUser(node.ctx));
      }),
    );
    const post = async (client: TestClient, body: string): Promise<void> => {
      const res = await client.post(`/api/v1/articles/${slug}/comments`, { body });
      if (res.status === 503) return new Promise((r) => setTimeout(r, 200)).then(() => post(client, body));
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    };
    await Promise.all(readers.flatMap((client, i) => [post(client, `First from ${i}`), post(client, `Second from ${i}`)]));
    for (const node of nodes) {
      const active = (await new TestClient(node.baseUrl).get('/api/v1/conversations/active')).body.conversations[0];
      expect(active).toMatchObject({ article: { slug }, commentCount: 12 });
      expect(active.activity).toBeGreaterThan(11.9);
      expect(active.activity).toBeLessThanOrEqual(12);
    }
  });
});
