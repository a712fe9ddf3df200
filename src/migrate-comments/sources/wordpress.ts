import { createHash } from 'node:crypto';
import { ImportFileError, itemOrSkip, type ReadPosition, type SourceItem } from '../model.ts';
import { childText, readXmlItems, type XmlNode } from '../xml-stream.ts';

// A WordPress export (WXR: RSS 2.0 with the `wp:` namespace): one `<item>` per post, its comments
// inside it. Pingbacks and trackbacks are not conversation and are skipped.

const NO_DATE = /^0000-00-00/;

/** WordPress writes `2014-01-14 17:31:03`: the `_gmt` one is UTC; without it, the local one is read as UTC. */
function wpDate(comment: XmlNode): Date | null {
  for (const [name, zone] of [['wp:comment_date_gmt', 'Z'], ['wp:comment_date', 'Z']] as const) {
    const raw = childText(comment, name);
    if (!raw || NO_DATE.test(raw)) continue;
    const date = new Date(`${raw.replace(' ', 'T')}${zone}`);
    if (Number.isNaN(date.getTime())) throw new ImportFileError(comment.line, { key: 'cli.comments.notADate', values: { kind: 'comment', id: String(childText(comment, 'wp:comment_id')), field: name, text: raw } });
    return date;
  }
  return null;
}

function author(comment: XmlNode) {
  const name = childText(comment, 'wp:comment_author') || 'Anonymous';
  const email = childText(comment, 'wp:comment_author_email') || null;
  const userId = childText(comment, 'wp:comment_user_id');
  // A registered WordPress user is one author; a guest is known by address, or else by name.
  const sourceId =
    userId && userId !== '0' ? `user:${userId}` : `guest:${createHash('sha256').update((email ?? `name:${name}`).toLowerCase()).digest('hex').slice(0, 32)}`;
  return { sourceId, name, email };
}

export async function* readWordpress(file: string, position: ReadPosition): AsyncGenerator<SourceItem> {
  const items = readXmlItems(file, {
    isItem: (name, depth) => {
      if (depth === 0 && name !== 'rss') throw new ImportFileError(1, { key: 'cli.comments.file.notExport', values: { name, format: 'WordPress', root: 'rss' } });
      return name === 'item' && depth === 2;
    },
    ignoreText: new Set(['content:encoded', 'excerpt:encoded', 'description']),
    position,
  });
  for await (const item of items) {
    if ('problem' in item) {
      yield { kind: 'warning', line: item.line, problem: item.problem, problemIn: item.problemIn };
      continue;
    }
    const postId = childText(item, 'wp:post_id');
    const address = childText(item, 'link') || childText(item, 'guid') || null;
    const threadId = postId ? `post:${postId}` : `link:${address ?? item.line}`;
    const comments = item.children.filter((c) => c.name === 'wp:comment');
    if (comments.length === 0) continue;
    yield { kind: 'thread', sourceId: threadId, address, title: childText(item, 'title') || null };
    for (const comment of comments) {
      const id = childText(comment, 'wp:comment_id');
      if (!id) throw new ImportFileError(comment.line, { key: 'cli.comments.file.wpNoId' });
      const type = childText(comment, 'wp:comment_type') ?? '';
      if (type === 'pingback' || type === 'trackback') {
        yield { kind: 'skip', what: 'comment', reason: { key: 'cli.comments.skip.pingback', values: { type } }, line: comment.line };
        continue;
      }
      yield* itemOrSkip(comment.line, () => {
      const createdAt = wpDate(comment);
      if (!createdAt) throw new ImportFileError(comment.line, { key: 'cli.comments.file.noDate', values: { id } });
      const approved = childText(comment, 'wp:comment_approved') ?? '1';
      const parent = childText(comment, 'wp:comment_parent');
      const deleted = approved === 'trash';
      return {
        kind: 'comment',
        // Comment ids are unique per WordPress site, not per file section: the post keeps them apart
        // when several sites' exports meet.
        sourceId: `${postId ?? threadId}:${id}`,
        threadId,
        parentId: parent && parent !== '0' ? `${postId ?? threadId}:${parent}` : null,
        author: author(comment),
        html: (childText(comment, 'wp:comment_content') ?? '').replace(/\r?\n/g, '<br>\n'),
        createdAt,
        deletedAt: deleted ? createdAt : null,
        deletedReason: deleted ? 'imported' : null,
        status: approved === 'spam' ? 'rejected' : approved === '0' ? 'held' : 'approved',
        statusReason: approved === 'spam' ? 'spam' : approved === '0' ? 'pending' : null,
        likes: 0,
        line: comment.line,
      };
      });
    }
  }
}
