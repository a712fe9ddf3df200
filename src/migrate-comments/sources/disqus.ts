import { createHash } from 'node:crypto';
import { ImportFileError, itemOrSkip, parseSourceDate, type ReadPosition, type SourceItem } from '../model.ts';
import { child, childText, readXmlItems, type XmlNode } from '../xml-stream.ts';

// A Disqus export (https://help.disqus.com/en/articles/1717164): `<thread>`s, then `<post>`s that
// name their thread and parent by `dsq:id`. Disqus keeps no likes in its export.

const flag = (node: XmlNode, name: string) => childText(node, name) === 'true';

function author(node: XmlNode | undefined, line: number) {
  if (!node) throw new ImportFileError(line, { key: 'cli.comments.file.noAuthor' });
  const name = childText(node, 'name') || childText(node, 'username') || 'Anonymous';
  const username = childText(node, 'username');
  const email = childText(node, 'email') || null;
  // An anonymous guest has no username: the same address (or else the same name) is the same guest.
  const sourceId = username || `guest:${createHash('sha256').update((email ?? `name:${name}`).toLowerCase()).digest('hex').slice(0, 32)}`;
  return { sourceId, name, email };
}

export async function* readDisqus(file: string, position: ReadPosition): AsyncGenerator<SourceItem> {
  let sawDisqus = false;
  const items = readXmlItems(file, {
    isItem: (name, depth) => {
      if (depth === 0) {
        if (name !== 'disqus') throw new ImportFileError(1, { key: 'cli.comments.file.notExport', values: { name, format: 'Disqus', root: 'disqus' } });
        sawDisqus = true;
      }
      return depth === 1;
    },
    position,
  });
  for await (const node of items) {
    if ('problem' in node) {
      yield { kind: 'warning', line: node.line, problem: node.problem, problemIn: node.problemIn };
      continue;
    }
    const id = node.attrs['dsq:id'];
    if (node.name === 'thread') {
      if (!id) throw new ImportFileError(node.line, { key: 'cli.comments.file.threadNoId' });
      const address = childText(node, 'link') || null;
      yield { kind: 'thread', sourceId: id, address, title: childText(node, 'title') || null };
    } else if (node.name === 'post') {
      if (!id) {
        // Without its id a post cannot be recognised on a second run, nor can its replies find it.
        yield { kind: 'skip', what: 'comment', reason: { key: 'cli.comments.skip.noDsqId' }, line: node.line };
        continue;
      }
      yield* itemOrSkip(node.line, () => {
      const threadId = child(node, 'thread')?.attrs['dsq:id'];
      if (!threadId) throw new ImportFileError(node.line, { key: 'cli.comments.file.postNoThread', values: { id } });
      const spam = flag(node, 'isSpam');
      const deleted = flag(node, 'isDeleted');
      const createdAt = parseSourceDate(childText(node, 'createdAt'), node.line, { kind: 'post', id }, 'createdAt');
      return {
        kind: 'comment',
        sourceId: id,
        threadId,
        parentId: child(node, 'parent')?.attrs['dsq:id'] ?? null,
        author: author(child(node, 'author'), node.line),
        html: childText(node, 'message') ?? '',
        createdAt,
        deletedAt: deleted ? createdAt : null,
        deletedReason: deleted ? 'imported' : null,
        status: spam ? 'rejected' : childText(node, 'isApproved') === 'false' ? 'held' : 'approved',
        statusReason: spam ? 'spam' : null,
        likes: 0,
        line: node.line,
      };
      });
    }
  }
  if (!sawDisqus) throw new ImportFileError(null, { key: 'cli.comments.file.notDisqus' });
}
