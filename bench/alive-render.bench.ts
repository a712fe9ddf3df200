// What "Most discussed", "Active now" and "Also being discussed" add to rendering the front page and an
// article page (a signed-in reader's, which is rendered for every request), measured in one process
// and alternating rounds (a machine shared with other work moves both sides alike): the page's own
// reads and render without the boxes, with them as served (their lists kept beside the cached pages
// until the next comment), and with them read afresh (the first render after a comment). The article
// page here is without its conversation, so the shares are upper bounds.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApp } from '../src/app.ts';
import { ArticlePage } from '../src/articles/views.tsx';
import { conversationLink, FrontPage } from '../src/articles/front-page.tsx';
import { findArticleBySlug, listArticles } from '../src/articles/store.ts';
import { noteConversationVisit } from '../src/community/following-store.ts';
import { alsoBeingDiscussed, frontPageBoxes, siteConversations } from '../src/conversations/boxes.ts';
import { loadConfig } from '../src/config.ts';
import { ConversationBox } from '../src/ui/conversation-box.tsx';
import { renderDocument } from '../src/ui/render.ts';
import { addArticle, addConversation, addReader, openRaw } from './comments-fixtures.ts';
import { h, type VNode } from 'preact';

const ROUNDS = 5;
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 300);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-render-'));
const app = await createApp(loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', PARLEY_SEED_EXAMPLE: '0', SQLITE_SYNCHRONOUS: 'FULL', PUBLIC_URL: 'http://parley.test' }));
const db = app.ctx.db.kysely;
const raw = openRaw(dataDir);
const authors = ['Ann', 'Ben', 'Cat'].map((n) => addReader(raw, n).userId);
const viewer = addReader(raw, 'Viewer').userId;
const now = new Date().toISOString();
for (let i = 0; i < 30; i++) {
  const id = addArticle(raw, `story-${i}`);
  addConversation(raw, id, authors, 10, 5);
  raw.prepare('update articles set comment_count = 10 + ? where id = ?').run(i, id);
  // Half of them active in the last hour, as the write path would have left them.
  if (i % 2 === 0) raw.prepare('insert into conversation_activity (article_id, site_id, activity_key, last_comment_at) values (?, 1, ?, ?)').run(id, 50_000 + i, now);
  raw.prepare('insert into article_follows (user_id, article_id, created_at, last_seen_at) values (?, ?, ?, ?)').run(viewer, id, now, now);
}
raw.close();
// The app's connection sees another connection's writes from its next turn of the loop (db/read-batches.ts).
await new Promise((resolve) => setImmediate(resolve));

const site = { name: 'Parley', publicUrl: 'http://parley.test' };
const chrome = { site, actor: null, csrf: () => 'x', path: '/', account: null };

type Mode = 'without' | 'kept' | 'afresh';
/** The lists as the routes get them; "afresh" drops the kept ones first, as a comment would. */
const lists = (mode: Mode) => {
  if (mode === 'afresh') app.ctx.pageCache.invalidate('articles');
  return siteConversations(app.ctx, 1);
};

async function front(mode: Mode) {
  const [{ articles }, boxes] = await Promise.all([listArticles(db, { limit: 20, siteId: 1 }), mode === 'without' ? { mostDiscussed: [], active: [] } : lists(mode).then(frontPageBoxes)]);
  return renderDocument(h(FrontPage, { articles, chrome, nextHref: null, ...boxes }));
}

async function article(mode: Mode) {
  const a = (await findArticleBySlug(db, 'story-7'))!;
  let related: VNode<any> | null = null;
  if (mode !== 'without') {
    const list = alsoBeingDiscussed(await lists(mode), Number(a.id));
    await noteConversationVisit(db, viewer, Number(a.id));
    related = h(ConversationBox, { id: 'also-discussed', title: 'Also being discussed', conversations: list.map(conversationLink) });
  }
  return renderDocument(h(ArticlePage, { article: a, chrome, comments: null, related }));
}

async function time(fn: () => Promise<string>): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < ITERATIONS; i++) await fn();
  return Number(process.hrtime.bigint() - start) / 1e6 / ITERATIONS;
}

try {
  for (const [name, page] of [['front page', front], ['article page', article]] as const) {
    const sums: Record<Mode, number> = { without: 0, kept: 0, afresh: 0 };
    for (const mode of Object.keys(sums) as Mode[]) await time(() => page(mode));
    for (let r = 0; r < ROUNDS; r++) {
      const line: string[] = [];
      for (const mode of Object.keys(sums) as Mode[]) {
        const ms = await time(() => page(mode));
        sums[mode] += ms;
        line.push(`${mode} ${ms.toFixed(3)} ms`);
      }
      console.log(`  ${name} round ${r + 1}: ${line.join(', ')}`);
    }
    const mean = (m: Mode) => sums[m] / ROUNDS;
    console.log(
      `RESULT ${name} per render: without the boxes ${mean('without').toFixed(3)} ms; with them as kept ${mean('kept').toFixed(3)} ms (ratio ${(mean('kept') / mean('without')).toFixed(2)}); read afresh ${mean('afresh').toFixed(3)} ms (ratio ${(mean('afresh') / mean('without')).toFixed(2)})`,
    );
  }
} finally {
  await app.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
