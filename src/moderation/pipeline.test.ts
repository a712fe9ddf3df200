import { describe, expect, it } from 'vitest';
import { moderationInput } from '../../test/moderation/input.ts';
import { isRefusal, type ModerationDeps, type Phase } from './model.ts';
import { moderate, PHASES } from './pipeline.ts';

const quiet: ModerationDeps = { spamScore: () => 0.1 };
const spammy: ModerationDeps = { spamScore: () => 0.95 };

describe('moderation pipeline', () => {
  it('runs the phases in the documented order', () => {
    expect(PHASES.map((p) => p.name)).toEqual([
      'length',
      'conversation-closed',
      'author-status',
      'trusted-role',
      'banned-words',
      'suspect-words',
      'links',
      'repeated-text',
      'reports',
      'spam-score',
      'new-reader',
      'premoderation',
    ]);
  });

  it('approves an ordinary comment on a post-moderated article, with its spam score', async () => {
    expect(await moderate(moderationInput(), quiet)).toEqual({
      status: 'approved',
      reason: { code: 'no_objection', detail: 'No rule objected.', detailKey: 'moderation.detail.noObjection', values: {} },
      tags: [],
      spamScore: 0.1,
      phase: 'default',
    });
  });

  it('holds every comment on a pre-moderated article', async () => {
    const decision = await moderate(moderationInput({ article: { mode: 'pre' } }), quiet);
    expect(decision).toMatchObject({ status: 'held', reason: { code: 'premoderated' }, phase: 'premoderation', spamScore: 0.1 });
  });

  it('refuses a comment on a closed article before reading it, and says so', async () => {
    const decision = await moderate(moderationInput({ body: 'spam spam', article: { mode: 'closed' }, settings: { bannedWords: ['spam'] } }), spammy);
    expect(decision).toMatchObject({ status: 'rejected', reason: { code: 'conversation_closed' }, spamScore: null });
    expect(isRefusal(decision)).toBe(true);
  });

  it('lets the first final decision win: banned words reject before suspect words or spam hold', async () => {
    const input = moderationInput({ body: 'buy cheap pills now', settings: { bannedWords: ['pills'], suspectWords: ['cheap'] } });
    const decision = await moderate(input, spammy);
    expect(decision).toMatchObject({ status: 'rejected', reason: { code: 'banned_word' }, phase: 'banned-words' });
    expect(isRefusal(decision)).toBe(false);
  });

  it('gives the reason about the text before the reason about the author', async () => {
    const input = moderationInput({ body: 'what an idiot', author: { approvedCount: 0 }, settings: { suspectWords: ['idiot'], newReaderHoldCount: 2 }, article: { mode: 'pre' } });
    expect(await moderate(input, quiet)).toMatchObject({ status: 'held', reason: { code: 'suspect_word' } });
    const plain = moderationInput({ author: { approvedCount: 0 }, settings: { newReaderHoldCount: 2 }, article: { mode: 'pre' } });
    expect(await moderate(plain, quiet)).toMatchObject({ status: 'held', reason: { code: 'new_reader' }, tags: ['new_reader'] });
  });

  it('holds a high spam score, and keeps tags gathered on the way', async () => {
    const decision = await moderate(moderationInput({ body: 'sub to www.example.com', isEdit: true, author: { status: 'warned' } }), spammy);
    expect(decision).toMatchObject({ status: 'held', reason: { code: 'spam' }, spamScore: 0.95, phase: 'spam-score' });
    expect(decision.tags.sort()).toEqual(['edited', 'link', 'warned_author']);
  });

  it('approves the newsroom without content checks, even under pre-moderation, but not on a closed article', async () => {
    const input = moderationInput({ body: 'Quoting the reader: "idiot".', author: { role: 'staff' }, article: { mode: 'pre' }, settings: { bannedWords: ['idiot'] } });
    expect(await moderate(input, spammy)).toMatchObject({ status: 'approved', reason: { code: 'trusted_role' }, tags: ['staff'], spamScore: null });
    expect(await moderate({ ...input, article: { commentsOpen: true, mode: 'closed' } }, quiet)).toMatchObject({ status: 'rejected' });
  });

  it('refuses suspended authors and overlong comments', async () => {
    expect(isRefusal(await moderate(moderationInput({ author: { status: 'suspended' } }), quiet))).toBe(true);
    expect(isRefusal(await moderate(moderationInput({ body: 'x'.repeat(5001) }), quiet))).toBe(true);
  });

  it('holds an edit of a comment readers have reported', async () => {
    expect(await moderate(moderationInput({ isEdit: true, reportCount: 3 }), quiet)).toMatchObject({ status: 'held', reason: { code: 'reported' } });
  });

  it('takes a custom list of phases, so a new rule is one more phase', async () => {
    const shouting: Phase = {
      name: 'shouting',
      run: ({ body }) => (body === body.toUpperCase() ? { status: 'held', reason: { code: 'suspect_word', detail: 'All capitals.' } } : undefined),
    };
    expect(await moderate(moderationInput({ body: 'STOP THIS' }), quiet, [...PHASES.slice(0, -1), shouting])).toMatchObject({ status: 'held', phase: 'shouting' });
  });

  it('scores with the committed model when no scorer is given', async () => {
    const decision = await moderate(moderationInput({ body: 'CHECK OUT my channel and SUBSCRIBE!!! http://bit.ly/free-views' }));
    expect(decision).toMatchObject({ status: 'held', reason: { code: 'spam' } });
    const ordinary = await moderate(moderationInput());
    expect(ordinary.status).toBe('approved');
    expect(ordinary.spamScore).toBeLessThan(0.5);
  });
});
