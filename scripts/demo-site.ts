// A running Parley with believable data, for the scripts that look at pages as a reader would
// (scripts/lighthouse.ts, scripts/screenshots.ts): a server of its own on a free port over a new
// SQLite folder, the bundled example article with a conversation, a 200-comment article, held
// comments in the moderators' queue, and a moderator with a session.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createSession } from '../src/accounts/sessions.ts';
import { createApp, EXAMPLE_ARTICLE } from '../src/app.ts';
import { importArticle } from '../src/articles/commands.ts';
import { parseArticleFile } from '../src/articles/import-file.ts';
import { listArticles } from '../src/articles/store.ts';
import { postComment } from '../src/comments/commands.ts';
import { loadConfig } from '../src/config.ts';
import { decideComment } from '../src/moderation/commands.ts';
import { DEFAULT_SETTINGS } from '../src/settings/model.ts';
import { setSetting } from '../src/settings/store.ts';
import { createTestUser } from '../test/helpers/users.ts';

export interface DemoSite {
  baseUrl: string;
  frontPath: string;
  articlePath: string;
  busyPath: string;
  /** The moderator's session token (cookie `parley_session`). */
  moderatorToken: string;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

const READERS = ['Ada Morgan', 'Tomás Ruiz', 'Priya Natarajan', 'Kwame Mensah', 'Elin Holm', 'Grace Liu'];

const CONVERSATION: { by: number; text: string; replyTo?: number; featured?: boolean }[] = [
  { by: 0, text: 'The most telling line is the last one: nobody at the State Department was told in advance. That is not how a handover is supposed to work.', featured: true },
  { by: 1, text: 'Worth reading the full transcript before drawing conclusions. The quotes here are accurate, but the questions were longer than they look.', replyTo: 0 },
  { by: 2, text: 'Agreed with both of you. The *timing* matters more than the words.', replyTo: 1 },
  { by: 3, text: 'Has anyone found the original interview? The link in the second paragraph goes to the front page of the broadcaster.' },
  { by: 4, text: 'It is on their site under “Programmes”, published the same evening. Search for the date.', replyTo: 3 },
  { by: 5, text: 'Good, careful reporting. More of this, please.' },
];

const BUSY_LINES = [
  'I read this twice and still think the council got the numbers wrong.',
  'The figures in the fourth paragraph come from last year’s report, not this one.',
  'My street was mentioned, and the description is accurate.',
  'Is there a date for the public meeting yet?',
  'The consultation closes on Friday, according to the council’s own page.',
  'This is the third plan in five years. What changed?',
  'Thanks for covering it; the local radio did not.',
  'A map of the proposed route would help a lot.',
];

/** Starts the site and fills it. `close` stops the server and removes its folder. */
export async function startDemoSite(): Promise<DemoSite> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-demo-'));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  // The public address is the one the browser uses, so that canonical links and feeds point at it.
  const config = loadConfig({ ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: baseUrl, LOG_LEVEL: 'warn', SQLITE_SYNCHRONOUS: 'NORMAL', PARLEY_SEED_EXAMPLE: '1', DATABASE_URL: '' });
  const app = await createApp(config);
  await app.server.listen({ port, host: '127.0.0.1' });
  const { ctx } = app;
  const db = ctx.db.kysely;
  await setSetting(db, 'commentIntervalSeconds', 0);
  const settings = { ...DEFAULT_SETTINGS, commentIntervalSeconds: 0 };

  const readers: Awaited<ReturnType<typeof createTestUser>>[] = [];
  for (const name of READERS) readers.push(await createTestUser(ctx, { displayName: name }));
  const moderator = await createTestUser(ctx, { displayName: 'Mona Desk', role: 'moderator' });
  const modActor = { userId: moderator.id, handle: moderator.handle, displayName: moderator.displayName, role: 'moderator' as const, emailVerified: true, sessionId: 0 };
  const author = (i: number) => readers[i % readers.length]!;

  const example = (await listArticles(db, { limit: 1 })).articles[0]!;
  const ids: number[] = [];
  let at = Date.now() - 3 * 3600_000;
  const post = async (articleId: number, by: number, text: string, parentId: number | null, held = false) => {
    at += 7 * 60_000;
    const moderate = held ? async () => ({ status: 'held' as const, reason: { code: 'suspect_word' as const, detail: 'Contains the suspect word “refund”.' }, tags: [], spamScore: 0.18, phase: 'suspect-words' }) : undefined;
    return postComment(ctx, { articleId, author: author(by), body: text, parentId, ...(moderate ? { moderate } : {}) }, settings, new Date(Math.min(at, Date.now())));
  };
  for (const c of CONVERSATION) {
    const comment = await post(Number(example.id), c.by, c.text, c.replyTo === undefined ? null : ids[c.replyTo]!);
    ids.push(comment.id);
    if (c.featured) await decideComment(ctx, modActor, comment.id, 'feature', null);
  }
  await post(Number(example.id), 2, 'Ask for a refund of the licence fee if this is the standard now.', null, true);
  await post(Number(example.id), 4, 'Anyone wanting a refund should write to the broadcaster directly.', null, true);

  const draft = await parseArticleFile(fs.readFileSync(EXAMPLE_ARTICLE), EXAMPLE_ARTICLE, { publicationName: 'The Independent' });
  const { article: busy } = await importArticle(ctx, { ...draft, headline: 'Council publishes its plan for the new bridge', standfirst: 'Two hundred readers have had their say on the route, the cost and the consultation.', sourceUrl: 'https://example.test/bridge', image: null });
  let root = 0;
  at = Date.now() - 48 * 3600_000;
  for (let i = 0; i < 200; i++) {
    const text = `${BUSY_LINES[i % BUSY_LINES.length]} (${i + 1})`;
    const parent = i % 4 === 0 ? null : root;
    const c = await post(Number(busy.id), i, text, parent);
    if (parent === null) root = c.id;
  }

  const session = await createSession(db, { id: moderator.id, role: 'moderator' }, { persistent: true, userAgent: 'demo-site' });
  return {
    baseUrl,
    frontPath: '/',
    articlePath: `/articles/${encodeURIComponent(example.slug)}`,
    busyPath: `/articles/${encodeURIComponent(busy.slug)}`,
    moderatorToken: session.token,
    async close() {
      await app.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
