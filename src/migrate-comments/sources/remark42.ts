import fs from 'node:fs';
import readline from 'node:readline';
import { ImportFileError, itemOrSkip, parseSourceDate, type ReadPosition, type SourceItem } from '../model.ts';
import { isRecord, str } from './json-file.ts';

// A Remark42 backup (https://remark42.com/docs/backup/backup/): JSON lines, read one line at a time.
// The first line is `{"version":1,"users":[...],"posts":[...]}`; every other line is one comment with
// its page (`locator.url`), parent (`pid`), author (`user.id`, `user.name`), HTML `text`, `score`,
// `votes` and `delete`.

export async function* readRemark42(file: string, position: ReadPosition): AsyncGenerator<SourceItem> {
  const lines = readline.createInterface({ input: fs.createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  const threads = new Set<string>();
  let n = 0;
  for await (const raw of lines) {
    n++;
    position.bytes += Buffer.byteLength(raw) + 1;
    const text = raw.trim();
    if (!text) continue;
    let c: unknown;
    try {
      c = JSON.parse(text);
    } catch (error) {
      throw new ImportFileError(n, { key: 'cli.comments.file.notJsonLine', values: { problem: (error as Error).message.replace(/ in JSON at position.*$/, '') } });
    }
    if (!isRecord(c)) throw new ImportFileError(n, { key: 'cli.comments.file.notJsonObject' });
    if ('version' in c && !('id' in c)) continue;
    const id = str(c.id);
    const locator = isRecord(c.locator) ? c.locator : null;
    const url = locator ? str(locator.url) : null;
    if (!id || !url) throw new ImportFileError(n, { key: 'cli.comments.file.remark42Fields' });
    if (!threads.has(url)) {
      threads.add(url);
      yield { kind: 'thread', sourceId: url, address: url, title: str(c.title) || null };
    }
    const record = c;
    yield* itemOrSkip(n, () => {
    const c = record;
    const user = isRecord(c.user) ? c.user : {};
    const deleted = c.delete === true;
    const createdAt = parseSourceDate(str(c.time), n, { kind: 'comment', id }, 'time');
    const votes = isRecord(c.votes) ? Object.values(c.votes).filter((v) => v === true).length : 0;
    const edit = isRecord(c.edit) ? str(c.edit.time) : null;
    return {
      kind: 'comment',
      sourceId: id,
      threadId: url,
      parentId: str(c.pid) || null,
      author: { sourceId: str(user.id) || 'anonymous', name: str(user.name) || 'Anonymous', email: str(user.email) || null },
      html: str(c.text) ?? '',
      createdAt,
      editedAt: edit ? parseSourceDate(edit, n, { kind: 'comment', id }, 'edit.time') : null,
      deletedAt: deleted ? createdAt : null,
      deletedReason: deleted ? 'imported' : null,
      status: 'approved',
      featured: c.pin === true,
      likes: Math.max(votes, typeof c.score === 'number' ? Math.trunc(c.score) : 0),
      line: n,
    };
    });
  }
}
