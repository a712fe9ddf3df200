import type { Article } from '../articles/model.ts';
import type { AppContext } from '../context.ts';
import { lastEventId } from '../events/outbox.ts';
import { encodeCursor } from '../http/cursor.ts';
import type { Settings } from '../settings/model.ts';
import { actionFacts, reactionCountHtml, type ActionFacts } from './actions.ts';
import { commentStream } from './commands.ts';
import { featuredComments } from './featured.ts';
import type { Sort, ThreadCursor } from './model.ts';
import { viewerFor } from './requests.ts';
import { listThreads } from './store.ts';
import { SectionThreads } from './section-views.tsx';
import type { CommentViewer } from './views.tsx';
import type { Translator } from '../i18n/index.ts';
import { renderFragment } from '../ui/render.ts';
import { joinChunks, type Chunk } from '../ui/page-template.ts';
import { streamWords } from './stream-words.ts';

// A conversation's threads as every reader sees them, rendered once per article, language, order and page, and
// kept in the page cache beside the anonymous pages, dropped by the same events (any change under the
// article). Each comment's actions are a slot (actions.ts); a page is the parts joined with the
// viewer's actions in the slots: string concatenation, no render.

export interface SharedConversation {
  /** The HTML around the slots, encoded once: parts.length === slots.length + 1. */
  parts: Buffer[];
  slots: ActionFacts[];
  /** The threads with every slot showing the count alone (the anonymous reader's, and the island's to fill). */
  plain: Buffer;
  /** The last event when the threads were read: the live stream resumes from here. */
  lastEventId: number;
}

const SLOT = /<!--s:(\d+)-->[\s\S]*?<!--\/s-->/g;

/** Cuts HTML rendered with `shared: true` at its slots. */
export function splitAtSlots(html: string, facts: Map<number, ActionFacts>): Pick<SharedConversation, 'parts' | 'slots'> {
  const parts: Buffer[] = [];
  const slots: ActionFacts[] = [];
  let from = 0;
  for (const match of html.matchAll(SLOT)) {
    parts.push(Buffer.from(html.slice(from, match.index)));
    slots.push(facts.get(Number(match[1]))!);
    from = match.index + match[0].length;
  }
  parts.push(Buffer.from(html.slice(from)));
  return { parts, slots };
}

/**
 * The shared threads with each slot filled by `fill` (the anonymous reader's: the reaction count), as
 * pieces to send: the parts stay the bytes they were encoded to once; only the fills are new.
 */
export function joinSlots(shared: Pick<SharedConversation, 'parts' | 'slots'>, fill: (facts: ActionFacts) => string): Chunk[] {
  const out: Chunk[] = [shared.parts[0]!];
  for (let i = 0; i < shared.slots.length; i++) out.push(fill(shared.slots[i]!), shared.parts[i + 1]!);
  return out;
}

const noCsrf = () => '';

/**
 * Settings that shape the page are part of the key: a change shows at once, not after the TTL. So is
 * the language: the threads' words (badges, counts, "Show 2 replies") are the reader's.
 */
export const sharedConversationKey = (articleId: number, sort: Sort, after: ThreadCursor | null, settings: Pick<Settings, 'threadsPerPage' | 'repliesPerThread'>, locale: string) =>
  `conversation:${articleId}:${locale}:${sort}:${after ? encodeCursor(after) : ''}:${settings.threadsPerPage}:${settings.repliesPerThread}`;

/** The article's threads for this order and page, from the cache or rendered now (and stored). */
export async function sharedConversation(ctx: AppContext, article: Article, settings: Settings, sort: Sort, after: ThreadCursor | null, i18n: Translator): Promise<SharedConversation> {
  const db = ctx.db.kysely;
  const articleId = Number(article.id);
  const key = sharedConversationKey(articleId, sort, after, settings, i18n.locale);
  const hit = ctx.pageCache.getShared<SharedConversation>(key);
  if (hit) return hit;
  const begunAt = ctx.pageCache.begin();
  // Read before the threads: the live stream resumes from here, so nothing between is missed.
  const eventId = await lastEventId(db);
  const [{ threads, next }, featured] = await Promise.all([
    listThreads(db, articleId, { sort, after, limit: settings.threadsPerPage, repliesPerThread: settings.repliesPerThread, viewerId: null }),
    after === null ? featuredComments(db, articleId) : [],
  ]);
  const v: CommentViewer = { ...viewerFor(null, noCsrf, article, settings), shared: true };
  const html = renderFragment(<SectionThreads v={v} threads={threads} sort={sort} next={next} paged={after !== null} featured={featured} />, i18n);
  const facts = new Map<number, ActionFacts>();
  for (const t of threads) for (const c of [t.root, ...t.replies]) facts.set(c.id, actionFacts(c));
  const split = splitAtSlots(html, facts);
  const words = streamWords(i18n);
  const shared: SharedConversation = { ...split, plain: joinChunks(joinSlots(split, (f) => reactionCountHtml(f.reactionCount, words))), lastEventId: eventId };
  // The encoded parts and the joined plain threads; each slot's facts about a hundred and fifty bytes.
  const bytes = 2 * shared.plain.length + 150 * shared.slots.length + 64 * shared.parts.length + 200;
  ctx.pageCache.setShared(key, shared, bytes, [commentStream(articleId)], begunAt);
  return shared;
}
