import { ImportFileError, parseSourceDate, type ReadPosition, type SourceItem } from '../model.ts';
import { isRecord, readJsonDocument, str } from './json-file.ts';

// A Commento export: one JSON document `{version, comments, commenters}` (read whole). Comments carry
// their page as `domain` + `url` and their author as `commenterHex`; the text is Markdown.

export async function* readCommento(file: string, position: ReadPosition): AsyncGenerator<SourceItem> {
  const doc = await readJsonDocument(file, position);
  if (!isRecord(doc) || !Array.isArray(doc.comments)) throw new ImportFileError(1, { key: 'cli.comments.file.notCommento' });
  const commenters = new Map<string, { name: string; email: string | null }>();
  for (const c of Array.isArray(doc.commenters) ? doc.commenters : []) {
    if (isRecord(c) && str(c.commenterHex)) commenters.set(str(c.commenterHex)!, { name: str(c.name) || 'Anonymous', email: str(c.email) || null });
  }
  const threads = new Set<string>();
  let index = 0;
  for (const c of doc.comments) {
    index++;
    const where = { kind: 'comment', id: String(index) } as const;
    if (!isRecord(c) || !str(c.commentHex)) throw new ImportFileError(null, { key: 'cli.comments.file.noCommentHex', values: { id: where.id } });
    const page = `${str(c.domain) ?? ''}${str(c.url) ?? ''}`;
    if (!threads.has(page)) {
      threads.add(page);
      // Commento keeps no scheme; https is assumed, and matching ignores it anyway.
      yield { kind: 'thread', sourceId: page, address: str(c.domain) ? `https://${page}` : null, title: null };
    }
    const hex = str(c.commenterHex) ?? 'anonymous';
    const who = commenters.get(hex);
    const parent = str(c.parentHex);
    const state = str(c.state) ?? 'approved';
    const deleted = c.deleted === true;
    const createdAt = parseSourceDate(str(c.creationDate), null, where, 'creationDate');
    yield {
      kind: 'comment',
      sourceId: str(c.commentHex)!,
      threadId: page,
      parentId: parent && parent !== 'root' ? parent : null,
      author: { sourceId: hex, name: who?.name ?? 'Anonymous', email: who?.email ?? null },
      markdown: str(c.markdown) ?? '',
      createdAt,
      deletedAt: deleted ? createdAt : null,
      deletedReason: deleted ? 'imported' : null,
      status: state === 'approved' ? 'approved' : state === 'flagged' ? 'rejected' : 'held',
      statusReason: state === 'approved' ? null : state,
      // Commento's score is up-votes minus down-votes; only the positive part is a count of likes.
      likes: Math.max(0, typeof c.score === 'number' ? Math.trunc(c.score) : 0),
      line: 0,
    };
  }
}
