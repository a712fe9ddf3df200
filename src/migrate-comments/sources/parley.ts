import { ImportFileError, parseSourceDate, type ItemRef, type ReadPosition, type SourceAuthor, type SourceItem } from '../model.ts';
import { PARLEY_EXPORT_FORMAT } from '../export.ts';
import { isRecord, readJsonDocument, str } from './json-file.ts';

// Parley's own export (export.ts), one JSON document read whole: Markdown bodies, statuses, revisions
// and reactions come back exactly as they were written.

const STATUSES = new Set(['approved', 'held', 'rejected']);

export async function* readParley(file: string, position: ReadPosition): AsyncGenerator<SourceItem> {
  const doc = await readJsonDocument(file, position);
  if (!isRecord(doc) || doc.format !== PARLEY_EXPORT_FORMAT || !Array.isArray(doc.conversations)) throw new ImportFileError(1, { key: 'cli.comments.file.notParley', values: { format: PARLEY_EXPORT_FORMAT } });
  const authors = new Map<string, SourceAuthor>();
  for (const a of Array.isArray(doc.authors) ? doc.authors : []) {
    if (isRecord(a) && str(a.id)) authors.set(str(a.id)!, { sourceId: str(a.id)!, name: str(a.name) || 'Anonymous', email: null, emailHash: str(a.emailHash) });
  }
  const authorFor = (id: unknown, where: ItemRef): SourceAuthor => {
    const found = str(id) ? authors.get(str(id)!) : undefined;
    if (!found) throw new ImportFileError(null, { key: 'cli.comments.file.unknownAuthor', values: { id: where.id, author: String(JSON.stringify(id)) } });
    return found;
  };
  let n = 0;
  for (const conv of doc.conversations) {
    n++;
    if (!isRecord(conv) || !str(conv.address) || !Array.isArray(conv.comments)) throw new ImportFileError(null, { key: 'cli.comments.file.conversationFields', values: { n } });
    const threadId = str(conv.address)!;
    yield { kind: 'thread', sourceId: threadId, address: threadId, title: str(conv.title) };
    for (const c of conv.comments) {
      if (!isRecord(c) || !str(c.id)) throw new ImportFileError(null, { key: 'cli.comments.file.commentNoId', values: { n } });
      const where: ItemRef = { kind: 'comment', id: str(c.id)! };
      const status = str(c.status) ?? 'approved';
      if (!STATUSES.has(status)) throw new ImportFileError(null, { key: 'cli.comments.file.unknownStatus', values: { id: where.id, status: JSON.stringify(status) } });
      const date = (v: unknown, what: string) => (v === null || v === undefined ? null : parseSourceDate(str(v), null, where, what));
      yield {
        kind: 'comment',
        sourceId: str(c.id)!,
        threadId,
        parentId: str(c.parent),
        author: authorFor(c.author, where),
        markdown: str(c.body) ?? '',
        createdAt: date(c.createdAt, 'createdAt') ?? parseSourceDate('', null, where, 'createdAt'),
        editedAt: date(c.editedAt, 'editedAt'),
        deletedAt: date(c.deletedAt, 'deletedAt'),
        deletedReason: str(c.deletedReason),
        status: status as 'approved' | 'held' | 'rejected',
        featured: c.featured === true,
        rejectionReason: str(c.rejectionReason),
        likes: typeof c.likes === 'number' && c.likes > 0 ? Math.trunc(c.likes) : 0,
        reactions: (Array.isArray(c.reactions) ? c.reactions : []).map((r) => ({ author: authorFor(isRecord(r) ? r.author : null, where), createdAt: date(isRecord(r) ? r.createdAt : null, 'reaction') ?? new Date(0) })),
        revisions: (Array.isArray(c.revisions) ? c.revisions : []).filter(isRecord).map((v) => ({ body: str(v.body) ?? '', writtenAt: str(v.writtenAt) ?? '', replacedAt: str(v.replacedAt) ?? '' })),
        line: 0,
      };
    }
  }
}
