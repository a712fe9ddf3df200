import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import { avatarTone } from '../accounts/avatar.tsx';
import { DEFAULT_SETTINGS } from '../settings/model.ts';
import type { Comment } from './model.ts';
import { MAX_INDENT, ReplyItem, type CommentViewer } from './views.tsx';

// A comment's markup is most of an article page (issue 19: sixty comments on the first one), so each
// fact about a comment is written once: its id in `id="c-ID"` (no data-id), its depth in data-depth
// (the CSS indents by it), its header, name, permalink and footer without classes (client/_comment.ts
// finds them), the avatar as two attributes on the name, its time to the second. What stays is what
// a reader sees or hears: the article named by its author, the avatar (kept from assistive technology
// by the CSS), the author's link, the permalink, the time, the count.

const viewer: CommentViewer = {
  actor: null,
  csrf: () => '',
  slug: 'harbour',
  article: { id: 1, commentsOpen: true, publishedAt: null, createdAt: new Date('2026-12-01T00:00:00Z'), timeZone: 'UTC' },
  settings: DEFAULT_SETTINGS,
  now: new Date('2026-12-04T08:00:00Z'),
  // The HTML every reader shares (shared-conversation.tsx): the actions are the viewer's, added per page.
  shared: true,
};

function reply(over: Partial<Comment> = {}): Comment {
  return {
    id: 977,
    articleId: 1,
    author: { id: 5, handle: 'eve-8c43eb', displayName: 'Eve' },
    parentId: 976,
    rootId: 976,
    depth: 1,
    path: '',
    body: 'Fair point.',
    bodyHtml: '<p>Fair point.</p>',
    descendantCount: 0,
    reactionCount: 3,
    createdAt: new Date('2026-12-04T07:52:58.738Z'),
    editedAt: null,
    deletedAt: null,
    deletedReason: null,
    status: 'approved',
    featured: false,
    rejectionReason: null,
    ...over,
  };
}

describe('a reply in a thread, as every reader shares it', () => {
  it('writes each fact once, and everything a reader sees or hears', () => {
    const html = renderToString(<ReplyItem comment={reply()} v={viewer} />);
    expect(html).toBe(
      '<li data-depth="1">' +
        '<article class="comment" id="c-977" aria-labelledby="a-977">' +
        `<header><a id="a-977" href="/readers/eve-8c43eb" data-i="E" data-t="${avatarTone('eve-8c43eb')}">Eve</a>` +
        '<a href="/comments/977"><time datetime="2026-12-04T07:52:58Z">4 Dec, 07:52 UTC</time></a></header>' +
        '<div><p>Fair point.</p></div>' +
        '<footer><!--s:977--><data value="3">3 respects</data><!--/s--></footer>' +
        '</article></li>',
    );
  });

  it('stays within its byte budget around the text', () => {
    const html = renderToString(<ReplyItem comment={reply()} v={viewer} />);
    const markup = Buffer.byteLength(html) - Buffer.byteLength('<p>Fair point.</p>');
    // 358 bytes today (with the shared page's slot marks, 24 of them); 568 before the avatar became two
    // attributes on the name, the name, permalink, text, count and reply lost their classes, the
    // permalink its article's slug and the time this year's number; 664 before the id, depth, header,
    // footer, avatar size and milliseconds were each written once. Sixty comments a page.
    expect(markup).toBeLessThanOrEqual(365);
    for (const twice of ['data-id', 'class="comment-reply', 'avatar', 'comment__meta', 'comment__actions', 'comment__author', 'comment__time', 'comment__count', 'comment__body', '/articles/']) expect(html).not.toContain(twice);
  });

  it('writes the year of a comment from another year, in the article’s zone', () => {
    const html = (createdAt: string, timeZone = 'UTC') => renderToString(<ReplyItem comment={reply({ createdAt: new Date(createdAt) })} v={{ ...viewer, article: { ...viewer.article, timeZone } }} />);
    expect(html('2025-12-31T22:30:00Z')).toContain('>31 Dec 2025, 22:30 UTC</time>');
    // New Year's Day already in Auckland: this year there.
    expect(html('2025-12-31T22:30:00Z', 'Pacific/Auckland')).toContain('>1 Jan, 11:30 GMT+13</time>');
  });

  it('keeps the real depth below MAX_INDENT, where the island places replies by it and the CSS draws them at MAX_INDENT', () => {
    const deep = reply({ depth: MAX_INDENT + 3, parentAuthor: { handle: 'dev-ff30d4', displayName: 'Dev' } });
    const html = renderToString(<ReplyItem comment={deep} v={viewer} />);
    expect(html).toContain(`<li data-depth="${MAX_INDENT + 3}">`);
    expect(html).toContain('<span class="comment__in-reply">');
  });
});
