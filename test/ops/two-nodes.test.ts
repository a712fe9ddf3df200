import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/context.ts';
import { openDatabase, type Db } from '../../src/db/connection.ts';
import { LIMITS } from '../../src/accounts/limits.ts';
import { schemaDatabaseUrl, testSchemaName } from '../helpers/app.ts';
import { TestClient } from '../helpers/client.ts';
import { outboxMails, waitFor } from '../helpers/mail.ts';
import { createTestUser, signedInClient } from '../helpers/users.ts';
import { GOOD_PASSWORD, uniqueEmail, uniqueName } from '../accounts/helpers.ts';
import { SseReader } from '../comments/sse.ts';
import { startServe, type ServeProcess } from './cli.ts';

// The scale-out story as a tested deployment: two `parley serve` processes on one PostgreSQL, a
// reader on each. Live comments cross between them, one node's cached page is dropped by the other's
// change, each mail job runs once, and the rate limits count across both.

const pgUrl = process.env.PARLEY_TEST_DATABASE_URL?.trim() || null;

describe.runIf(pgUrl)('two nodes on one PostgreSQL', () => {
  const schema = testSchemaName('t');
  const dirs: string[] = [];
  const nodes: ServeProcess[] = [];
  let db: Db;
  let slug: string;
  const base = (i: number) => `http://127.0.0.1:${nodes[i]!.port}`;

  beforeAll(async () => {
    const { url } = await schemaDatabaseUrl(pgUrl!, schema);
    for (let i = 0; i < 2; i++) {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `parley-node${i}-`));
      dirs.push(dataDir);
      // The first seeds the example article (and migrates); the second starts on the same database.
      nodes.push(await startServe({ DATABASE_URL: url, DATA_DIR: dataDir, PARLEY_SEED_EXAMPLE: i === 0 ? '1' : '0', PUBLIC_URL: 'http://parley.test' }, 60_000));
    }
    db = await openDatabase({ dataDir: dirs[0]!, databaseUrl: pgUrl, pgSchema: schema });
    const { articles } = (await (await fetch(`${base(1)}/api/v1/articles`)).json()) as { articles: { slug: string }[] };
    slug = articles[0]!.slug;
  }, 120_000);

  afterAll(async () => {
    await db?.close();
    for (const node of nodes) {
      node.child.kill('SIGTERM');
      await node.exited;
    }
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  const reader = async (node: number) => {
    const ctx = { db } as AppContext;
    return signedInClient(ctx, base(node), await createTestUser(ctx));
  };

  it("delivers one node's comment live to the other's readers, and drops the other's cached page", async () => {
    const pagePath = `/articles/${slug}`;
    const cachedBefore = await (await fetch(`${base(1)}${pagePath}`, { headers: { accept: 'text/html' } })).text();
    expect(cachedBefore).not.toContain('said on node zero');
    // From the start of the stream, so a comment that lands before the stream is set up still comes.
    const live = await SseReader.open(`${base(1)}/api/v1/articles/${slug}/live`, { 'last-event-id': '0' });

    const posted = await (await reader(0)).post(`/api/v1/articles/${slug}/comments`, { body: 'said on node zero' });
    expect(posted.status).toBe(201);
    const frame = await live.next((f) => f.event === 'comment.created' && f.data.comment.id === posted.body.comment.id, 10_000);
    expect(frame.data.comment.bodyHtml).toContain('said on node zero');
    live.close();
    await waitFor(async () => (await (await fetch(`${base(1)}${pagePath}`, { headers: { accept: 'text/html' } })).text()).includes('said on node zero'), "node one's page to show the comment", 10_000);
  }, 30_000);

  it('runs each mail job once across the nodes, and counts the rate limit across them', async () => {
    const emails: string[] = [];
    for (let i = 0; i < 8; i++) {
      const email = uniqueEmail('twonodes');
      emails.push(email);
      const res = await new TestClient(base(i % 2)).post('/api/v1/auth/register', { email, displayName: uniqueName(), password: GOOD_PASSWORD });
      expect(res.status).toBe(201);
    }
    const mails = () => dirs.flatMap((dir) => outboxMails(dir)).filter((m) => emails.some((e) => m.to.includes(e)));
    await waitFor(() => mails().length >= emails.length, 'a verification mail to each reader', 30_000);
    await new Promise((r) => setTimeout(r, 1000));
    // Each job once: one mail per reader, whichever node ran it.
    expect(mails().map((m) => emails.find((e) => m.to.includes(e))).sort()).toEqual([...emails].sort());

    // Registration is limited per address: the 8 above count, on both nodes together.
    const statuses: number[] = [];
    for (let i = 0; statuses.at(-1) !== 429 && i < 2 * LIMITS.register.perIp.max; i++) {
      statuses.push((await new TestClient(base(i % 2)).post('/api/v1/auth/register', { email: 'bad', password: GOOD_PASSWORD, displayName: uniqueName() })).status);
    }
    expect(statuses.at(-1)).toBe(429);
    expect(8 + statuses.length - 1).toBe(LIMITS.register.perIp.max);
  }, 90_000);
});
