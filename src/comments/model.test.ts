import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../settings/model.ts';
import {
  ancestorIds,
  bodyProblem,
  childPath,
  compareThreads,
  conversationOpen,
  idsOnPath,
  isReplyCursor,
  isThreadCursor,
  secondsUntilNextPost,
  subtreeEnd,
  threadCursorAfter,
  withinEditWindow,
  type Comment,
} from './model.ts';

const comment = (id: number, extra: Partial<Comment> = {}): Comment => ({
  id,
  articleId: 1,
  status: 'approved',
  featured: false,
  rejectionReason: null,
  author: { id: 1, handle: 'a', displayName: 'A' },
  parentId: null,
  rootId: null,
  depth: 0,
  path: '',
  body: 'x',
  bodyHtml: '<p>x</p>',
  descendantCount: 0,
  reactionCount: 0,
  createdAt: new Date('2024-01-01T00:00:00Z'),
  editedAt: null,
  deletedAt: null,
  deletedReason: null,
  ...extra,
});

describe('threading paths', () => {
  it('sort replies depth first, oldest first among siblings, whatever the ids', () => {
    // root 1; 9 replies to 1; 10 replies to 1; 35 replies to 9; 36 replies to 35; 100 replies to 10
    const p9 = childPath('', 9);
    const p10 = childPath('', 10);
    const p35 = childPath(p9, 35);
    const p36 = childPath(p35, 36);
    const p100 = childPath(p10, 100);
    const sorted = [p100, p36, p10, p35, p9].sort();
    expect(sorted).toEqual([p9, p35, p36, p10, p100]);
    expect(idsOnPath(p36)).toEqual([9, 35, 36]);
    expect(ancestorIds({ rootId: 1, path: p36 })).toEqual([1, 9, 35]);
    expect(ancestorIds({ rootId: null, path: '' })).toEqual([]);
  });

  it('bounds a subtree by its path', () => {
    const p9 = childPath('', 9);
    const inside = childPath(childPath(p9, 4_000_000_000), 12);
    const outside = childPath('', 10);
    expect(inside > p9 && inside < subtreeEnd(p9)).toBe(true);
    expect(outside > p9 && outside < subtreeEnd(p9)).toBe(false);
  });
});

describe('ordering and cursors', () => {
  const threads = [comment(1, { descendantCount: 3, reactionCount: 1 }), comment(2, { descendantCount: 3, reactionCount: 5 }), comment(3, { reactionCount: 5 })];

  it('orders threads newest, oldest, by replies and by reactions with the id as tie-breaker', () => {
    const ids = (sort: Parameters<typeof compareThreads>[0]) => [...threads].sort((a, b) => compareThreads(sort, a, b)).map((c) => c.id);
    expect(ids('newest')).toEqual([3, 2, 1]);
    expect(ids('oldest')).toEqual([1, 2, 3]);
    expect(ids('replies')).toEqual([2, 1, 3]);
    expect(ids('reactions')).toEqual([3, 2, 1]);
  });

  it('puts the sorted-by count in the cursor only for counted orders, and checks cursors coming back', () => {
    expect(threadCursorAfter('newest', threads[0]!)).toEqual({ s: 'newest', id: 1 });
    expect(threadCursorAfter('reactions', threads[1]!)).toEqual({ s: 'reactions', id: 2, n: 5 });
    expect(isThreadCursor({ s: 'replies', id: 2, n: 3 })).toBe(true);
    expect(isThreadCursor({ s: 'replies', id: 2 })).toBe(false);
    expect(isThreadCursor({ s: 'newest', id: 2, n: 1 })).toBe(false);
    expect(isThreadCursor({ s: 'loudest', id: 2 })).toBe(false);
    expect(isThreadCursor({ s: 'oldest', id: -1 })).toBe(false);
    // Counts are 32-bit columns: a larger one is a bad cursor (PostgreSQL would refuse the query).
    expect(isThreadCursor({ s: 'reactions', id: 2, n: 2 ** 31 - 1 })).toBe(true);
    expect(isThreadCursor({ s: 'reactions', id: 2, n: 2 ** 31 })).toBe(false);
    expect(isReplyCursor({ c: 4, p: childPath('', 9) })).toBe(true);
    expect(isReplyCursor({ c: 4, p: "0000000' or 1=1" })).toBe(false);
    expect(isReplyCursor({ c: 0, p: '' })).toBe(false);
  });
});

describe('rules', () => {
  it('checks length in characters after trimming', () => {
    expect(bodyProblem('  ', DEFAULT_SETTINGS)).toEqual({ key: 'comments.refused.empty' });
    expect(bodyProblem('é'.repeat(5), { commentMaxLength: 5 })).toBeNull();
    expect(bodyProblem('abcdef', { commentMaxLength: 5 })).toEqual({ key: 'comments.refused.tooLong', values: { length: 6, max: 5 } });
  });

  it('allows edits inside the window only', () => {
    const c = comment(1);
    expect(withinEditWindow(c, { editWindowMinutes: 15 }, new Date('2024-01-01T00:14:59Z'))).toBe(true);
    expect(withinEditWindow(c, { editWindowMinutes: 15 }, new Date('2024-01-01T00:15:00Z'))).toBe(false);
  });

  it('closes by hand or N days after publication', () => {
    const article = { commentsOpen: true, publishedAt: new Date('2024-01-01T00:00:00Z'), createdAt: new Date('2024-02-01T00:00:00Z') };
    expect(conversationOpen(article, { autoCloseDays: null }, new Date('2030-01-01'))).toBe(true);
    expect(conversationOpen(article, { autoCloseDays: 7 }, new Date('2024-01-07T23:59:59Z'))).toBe(true);
    expect(conversationOpen(article, { autoCloseDays: 7 }, new Date('2024-01-08T00:00:00Z'))).toBe(false);
    expect(conversationOpen({ ...article, commentsOpen: false }, { autoCloseDays: null })).toBe(false);
  });

  it('computes the wait before the next post', () => {
    const last = new Date('2024-01-01T00:00:00Z');
    expect(secondsUntilNextPost(last, { commentIntervalSeconds: 3 }, new Date('2024-01-01T00:00:00.500Z'))).toBe(3);
    expect(secondsUntilNextPost(last, { commentIntervalSeconds: 3 }, new Date('2024-01-01T00:00:02.100Z'))).toBe(1);
    expect(secondsUntilNextPost(last, { commentIntervalSeconds: 3 }, new Date('2024-01-01T00:00:03Z'))).toBe(0);
    expect(secondsUntilNextPost(last, { commentIntervalSeconds: 0 }, last)).toBe(0);
    expect(secondsUntilNextPost(null, { commentIntervalSeconds: 3 })).toBe(0);
  });
});
