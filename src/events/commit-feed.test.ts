import { describe, expect, it } from 'vitest';
import { CommitFeed } from './commit-feed.ts';
import type { CommitNotice } from './bus.ts';

const notice = (...ids: number[]): CommitNotice => ({
  events: ids.map((id) => ({ id, type: 'comment.created', stream: 'article:1', actorId: null, payloadJson: `{"n":${id}}`, createdAt: '2026-12-04T00:00:00.000Z' })),
});
const ids = (events: { id: number }[] | null) => events?.map((e) => e.id) ?? null;

describe('the commit feed of a follower', () => {
  it("hands over the notices' events that follow the cursor without a gap, once, and nothing it was not told", () => {
    const feed = new CommitFeed();
    feed.note(notice(11, 12));
    feed.note(notice(13));
    expect(ids(feed.take(10))).toEqual([11, 12, 13]);
    // Woken again with no notice since (a poll, a retry): only the table can tell.
    expect(feed.take(13)).toBeNull();
    feed.note(notice(12, 13));
    expect(ids(feed.take(13))).toEqual([]);
  });

  it('skips what the follower already read from the table, even part of a notice', () => {
    const feed = new CommitFeed();
    feed.note(notice(11, 12, 13));
    feed.note(notice(14));
    expect(ids(feed.take(12))).toEqual([13, 14]);
  });

  it("reads the table when another process's events lie between (a gap)", () => {
    const feed = new CommitFeed();
    feed.note(notice(11));
    feed.note(notice(15));
    expect(feed.take(10)).toBeNull();
    // The read covered those commits: the next notices are taken again.
    feed.note(notice(16));
    expect(ids(feed.take(15))).toEqual([16]);
  });

  it('reads the table after a wake-up without a notice, or a commit without events', () => {
    const feed = new CommitFeed();
    feed.note(notice(11));
    feed.note(null);
    feed.note(notice(12));
    expect(feed.take(10)).toBeNull();
    feed.note({ events: [] });
    expect(feed.take(12)).toBeNull();
  });

  it('reads the table when too many notices were left untaken', () => {
    const feed = new CommitFeed(3);
    for (const id of [11, 12, 13, 14]) feed.note(notice(id));
    expect(feed.take(10)).toBeNull();
  });

  it('reads the table after a follower failed with what it took', () => {
    const feed = new CommitFeed();
    feed.note(notice(11));
    expect(ids(feed.take(10))).toEqual([11]);
    feed.forget();
    expect(feed.take(10)).toBeNull();
  });
});
