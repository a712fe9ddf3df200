import fs from 'node:fs';
import { once } from 'node:events';
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Site } from '../sites/model.ts';
import { emailHash } from './profiles.ts';

// Exports a site's conversations, one article at a time (memory holds one article's comments):
// - `parley`: Parley's own JSON, lossless (Markdown sources, statuses, revisions, reactions, dates) and
//   with no address, password hash or token: an author is an id, a name and the SHA-256 of a verified
//   address, which is all a claim needs;
// - `disqus`: Disqus's XML, so a publisher can leave.
// Ids are stable: a comment or author that came from an import keeps the source's id, others are
// `parley:<id>`, so export → import into an empty database → export gives the same file.

export type ExportFormat = 'parley' | 'disqus';
export const PARLEY_EXPORT_FORMAT = 'parley-comments';

interface ExportAuthor {
  id: string;
  name: string;
  emailHash: string | null;
}

const stableId = (format: ExportFormat, source: string | null, sourceId: string | null, fallback: number) =>
  source === null || sourceId === null ? `parley:${fallback}` : source === format ? sourceId : `${source}:${sourceId}`;

class Output {
  private readonly stream: fs.WriteStream;
  constructor(file: string) {
    this.stream = fs.createWriteStream(file, { encoding: 'utf8' });
  }
  async write(text: string): Promise<void> {
    if (!this.stream.write(text)) await once(this.stream, 'drain');
  }
  async close(): Promise<void> {
    this.stream.end();
    await once(this.stream, 'finish');
  }
}

const xmlText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const xmlAttr = (s: string) => xmlText(s).replace(/"/g, '&quot;');
const cdata = (s: string) => `<![CDATA[${s.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;

export async function exportComments(db: Kysely<Database>, site: Site, format: ExportFormat, file: string, publicUrl: string): Promise<{ conversations: number; comments: number }> {
  const out = new Output(file);
  const authors = new Map<number, ExportAuthor>();
  const authorOf = async (userId: number): Promise<ExportAuthor> => {
    const known = authors.get(userId);
    if (known) return known;
    const user = await db.selectFrom('users').select(['id', 'display_name', 'email', 'email_verified_at']).where('id', '=', userId).executeTakeFirstOrThrow();
    // A placeholder account of an imported profile is that profile; a reader's own account is theirs.
    const profile = await db.selectFrom('imported_profiles').select(['source', 'source_id', 'email_hash']).where('user_id', '=', userId).where('claimed_by', 'is', null).orderBy('id').executeTakeFirst();
    const author: ExportAuthor = {
      id: stableId(format, profile?.source ?? null, profile?.source_id ?? null, userId),
      name: user.display_name,
      emailHash: profile ? profile.email_hash : user.email && user.email_verified_at ? emailHash(user.email) : null,
    };
    authors.set(userId, author);
    return author;
  };
  let conversations = 0;
  let count = 0;
  if (format === 'parley') await out.write(`{"format":"${PARLEY_EXPORT_FORMAT}","version":1,"site":${JSON.stringify(site.key)},"conversations":[`);
  else await out.write('<?xml version="1.0" encoding="utf-8"?>\n<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">\n');

  const articles = await db
    .selectFrom('articles')
    .select(['id', 'slug', 'headline', 'source_url'])
    .where('site_id', '=', site.id)
    .where((eb) => eb.exists(eb.selectFrom('comments').select('comments.id').whereRef('comments.article_id', '=', 'articles.id')))
    .orderBy('id')
    .execute();
  for (const article of articles) {
    const address = article.source_url ?? new URL(`/articles/${article.slug}`, publicUrl).href;
    const rows = await db
      .selectFrom('comments as c')
      .leftJoin('imported_comments as i', 'i.comment_id', 'c.id')
      .select([
        'c.id', 'c.author_id', 'c.parent_id', 'c.body', 'c.body_html', 'c.created_at', 'c.edited_at', 'c.deleted_at', 'c.deleted_reason',
        'c.status', 'c.featured', 'c.rejection_reason', 'c.reaction_count', 'i.source', 'i.source_id', 'i.source_reactions',
      ])
      .where('c.article_id', '=', article.id)
      .orderBy('c.id')
      .execute();
    const ids = new Map<number, string>();
    for (const r of rows) ids.set(Number(r.id), stableId(format, r.source, r.source_id, Number(r.id)));
    conversations++;
    if (format === 'parley') {
      const comments = [];
      for (const r of rows) {
        const id = Number(r.id);
        const reactions = await db.selectFrom('comment_reactions').select(['user_id', 'created_at']).where('comment_id', '=', id).orderBy('created_at').orderBy('user_id').execute();
        const revisions = await db.selectFrom('comment_revisions').select(['body', 'written_at', 'replaced_at']).where('comment_id', '=', id).orderBy('id').execute();
        const reactionList = [];
        for (const x of reactions) reactionList.push({ author: (await authorOf(Number(x.user_id))).id, createdAt: x.created_at });
        comments.push({
          id: ids.get(id)!,
          parent: r.parent_id === null ? null : (ids.get(Number(r.parent_id)) ?? null),
          author: (await authorOf(Number(r.author_id))).id,
          body: r.body,
          createdAt: r.created_at,
          editedAt: r.edited_at,
          deletedAt: r.deleted_at,
          deletedReason: r.deleted_reason,
          status: r.status,
          featured: Number(r.featured) === 1,
          rejectionReason: r.rejection_reason,
          likes: Number(r.source_reactions ?? 0),
          reactions: reactionList,
          revisions: revisions.map((v) => ({ body: v.body, writtenAt: v.written_at, replacedAt: v.replaced_at })),
        });
      }
      await out.write(`${conversations > 1 ? ',' : ''}\n${JSON.stringify({ address, title: article.headline, comments })}`);
    } else {
      const threadId = createHash('sha256').update(address).digest('hex').slice(0, 16);
      await out.write(
        `  <thread dsq:id="${threadId}">\n    <link>${xmlText(address)}</link>\n    <title>${xmlText(article.headline)}</title>\n  </thread>\n`,
      );
      for (const r of rows) {
        const author = await authorOf(Number(r.author_id));
        const parent = r.parent_id === null ? null : ids.get(Number(r.parent_id));
        await out.write(
          `  <post dsq:id="${xmlAttr(ids.get(Number(r.id))!)}">\n` +
            `    <message>${cdata(r.deleted_at ? '' : r.body_html)}</message>\n` +
            `    <createdAt>${r.created_at.replace(/\.\d{3}Z$/, 'Z')}</createdAt>\n` +
            `    <isDeleted>${r.deleted_at ? 'true' : 'false'}</isDeleted>\n` +
            `    <isSpam>${r.status === 'rejected' ? 'true' : 'false'}</isSpam>\n` +
            `    <isApproved>${r.status === 'held' ? 'false' : 'true'}</isApproved>\n` +
            `    <author>\n      <name>${xmlText(author.name)}</name>\n      <isAnonymous>false</isAnonymous>\n      <username>${xmlText(author.id)}</username>\n    </author>\n` +
            `    <thread dsq:id="${threadId}"/>\n` +
            (parent ? `    <parent dsq:id="${xmlAttr(parent)}"/>\n` : '') +
            '  </post>\n',
        );
        count++;
      }
      continue;
    }
    count += rows.length;
  }
  if (format === 'parley') {
    const list = [...authors.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    await out.write(`\n],"authors":[${list.map((a) => `\n${JSON.stringify(a)}`).join(',')}\n]}\n`);
  } else {
    await out.write('</disqus>\n');
  }
  await out.close();
  return { conversations, comments: count };
}
