import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { renderCommentHtml } from '../comments/markdown.ts';
import { digestDay } from './delivery.ts';
import { mentionedHandles } from './model.ts';
import { signUnsubscribe, verifyUnsubscribe } from './unsubscribe.ts';

describe('unsubscribe tokens', () => {
  const key = randomBytes(32);
  it('round-trip the reader and the kind', () => {
    expect(verifyUnsubscribe(key, signUnsubscribe(key, 42, 'reply'))).toEqual({ userId: 42, kind: 'reply' });
    expect(verifyUnsubscribe(key, signUnsubscribe(key, 7, 'digest'))).toEqual({ userId: 7, kind: 'digest' });
  });
  it('refuse another key, a changed reader or kind, and garbage', () => {
    const token = signUnsubscribe(key, 42, 'reply');
    expect(verifyUnsubscribe(randomBytes(32), token)).toBeNull();
    expect(verifyUnsubscribe(key, token.replace(/^42\./, '43.'))).toBeNull();
    expect(verifyUnsubscribe(key, token.replace('.reply.', '.mention.'))).toBeNull();
    expect(verifyUnsubscribe(key, signUnsubscribe(key, 42, 'reply').replace('reply', 'bogus'))).toBeNull();
    expect(verifyUnsubscribe(key, 'nonsense')).toBeNull();
  });
});

describe('mentions', () => {
  it('finds @handles, not addresses, lower-cased and once each', () => {
    expect(mentionedHandles('Hi @Ann-B and @ann-b, mail me at x@y.org; @bob.')).toEqual(['ann-b', 'bob']);
    expect(mentionedHandles('no @ here, nor @-bad')).toEqual([]);
  });
  it('links them in the HTML, but not inside code or links', () => {
    const html = renderCommentHtml('@ann `@code` [see @bob](https://example.org)');
    expect(html).toContain('<a href="/readers/ann" class="mention"');
    expect(html).toContain('<code>@code</code>');
    expect(html).not.toContain('/readers/bob');
  });
});

describe('digest day', () => {
  it('is the UTC day, sent at the next midnight', () => {
    expect(digestDay(new Date('2026-03-01T23:59:00Z'))).toEqual({ day: '2026-03-01', sendAt: new Date('2026-03-02T00:00:00Z') });
  });
});
