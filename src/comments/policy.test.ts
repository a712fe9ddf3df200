import { describe, expect, it } from 'vitest';
import type { Actor, Role } from '../accounts/model.ts';
import { DEFAULT_SETTINGS } from '../settings/model.ts';
import type { Comment } from './model.ts';
import { can, canManageArticle, decisionMessage, linkPermissions, type CommentAction, type LinkAction } from './policy.ts';
import type { Sanction } from '../moderation/sanctions.ts';
import { createTranslator } from '../i18n/index.ts';

const actor = (userId: number, role: Role = 'reader', emailVerified = true): Actor => ({ userId, handle: `u${userId}`, displayName: `U${userId}`, role, emailVerified, sessionId: 1 });
const now = new Date('2024-01-01T00:05:00Z');
const comment = (authorId: number, extra: Partial<Comment> = {}): Comment => ({
  id: 10, articleId: 1, status: 'approved', featured: false, rejectionReason: null, author: { id: authorId, handle: 'x', displayName: 'X' }, parentId: null, rootId: null, depth: 0, path: '',
  body: 'b', bodyHtml: '<p>b</p>', descendantCount: 0, reactionCount: 0, createdAt: new Date('2024-01-01T00:00:00Z'),
  editedAt: null, deletedAt: null, deletedReason: null, ...extra,
});
const open = { article: { commentsOpen: true, publishedAt: null, createdAt: now }, settings: DEFAULT_SETTINGS, now };
const closed = { ...open, article: { ...open.article, commentsOpen: false } };
const verdict = (a: Actor | null, action: CommentAction, c: Comment | null, context = open) => {
  const d = can(a, action, c, context);
  return d.allowed ? 'allow' : `${d.status} ${d.code}`;
};

describe('comment policy', () => {
  it('walks every action with every kind of actor', () => {
    const mine = comment(1);
    const table = {
      anonymous: [verdict(null, 'post', null), verdict(null, 'react', mine), verdict(null, 'edit', mine), verdict(null, 'delete', mine)],
      unverified: [verdict(actor(2, 'reader', false), 'post', null), verdict(actor(2, 'reader', false), 'react', mine), verdict(actor(1, 'reader', false), 'delete', mine)],
      author: [verdict(actor(1), 'post', null), verdict(actor(1), 'react', mine), verdict(actor(1), 'edit', mine), verdict(actor(1), 'delete', mine), verdict(actor(1), 'viewRevisions', mine)],
      other: [verdict(actor(2), 'react', mine), verdict(actor(2), 'edit', mine), verdict(actor(2), 'delete', mine)],
      moderator: [verdict(actor(3, 'moderator'), 'viewRevisions', mine), verdict(actor(3, 'admin'), 'viewRevisions', mine)],
    };
    expect(table).toEqual({
      anonymous: ['401 unauthenticated', '401 unauthenticated', '401 unauthenticated', '401 unauthenticated'],
      unverified: ['403 email_unverified', '403 email_unverified', 'allow'],
      author: ['allow', '403 own_comment', 'allow', 'allow', '403 forbidden'],
      other: ['allow', '403 forbidden', '403 forbidden'],
      moderator: ['allow', 'allow'],
    });
  });

  it('keeps a closed conversation readable but still lets authors delete', () => {
    expect(verdict(actor(2), 'post', null, closed)).toBe('403 comments_closed');
    expect(verdict(actor(2), 'react', comment(1), closed)).toBe('403 comments_closed');
    expect(verdict(actor(1), 'edit', comment(1), closed)).toBe('403 comments_closed');
    expect(verdict(actor(1), 'delete', comment(1), closed)).toBe('allow');
  });

  it('refuses edits after the window and anything on a deleted comment but a second delete', () => {
    expect(verdict(actor(1), 'edit', comment(1), { ...open, now: new Date('2024-01-01T00:15:00Z') })).toBe('403 edit_window_passed');
    const deleted = comment(1, { deletedAt: now });
    expect(verdict(actor(2), 'post', deleted)).toBe('403 comment_deleted');
    expect(verdict(actor(2), 'react', deleted)).toBe('403 comment_deleted');
    expect(verdict(actor(1), 'delete', deleted)).toBe('403 already_deleted');
  });

  it('lets only the newsroom open and close conversations', () => {
    expect(canManageArticle(null, 'close').allowed).toBe(false);
    expect(canManageArticle(actor(1), 'close').allowed).toBe(false);
    for (const role of ['staff', 'moderator', 'admin'] as const) expect(canManageArticle(actor(1, role), 'close').allowed).toBe(true);
  });
});

describe('the permissions a page draws its links from', () => {
  it('agree with `can` for every viewer, conversation, comment and sanction', () => {
    const viewers = [null, actor(1), actor(2), actor(1, 'reader', false), actor(2, 'reader', false), actor(3, 'moderator')];
    const sanction = (kind: Sanction['kind'], extra: Partial<Sanction> = {}): Sanction => ({ kind, until: null, reason: 'Be kind.', acknowledgedAt: null, createdAt: now, ...extra });
    const sanctions = [
      null,
      sanction('warn'),
      sanction('warn', { acknowledgedAt: now }),
      sanction('suspend', { until: new Date('2024-02-01T00:00:00Z') }),
      sanction('suspend', { until: new Date('2023-12-01T00:00:00Z') }),
      sanction('ban'),
    ];
    const late = new Date('2024-01-02T00:00:00Z');
    const contexts = [open, closed, { ...open, now: late }, { ...open, article: { ...open.article, publishedAt: new Date('2023-01-01T00:00:00Z') }, settings: { ...DEFAULT_SETTINGS, autoCloseDays: 30 } }];
    const comments = [comment(1), comment(2), comment(1, { deletedAt: now }), comment(2, { deletedAt: now }), comment(1, { status: 'held' }), comment(1, { createdAt: new Date('2023-12-31T00:00:00Z') })];
    const actions: LinkAction[] = ['post', 'edit', 'delete', 'react'];
    let cases = 0;
    let allowed = 0;
    for (const viewer of viewers)
      for (const s of sanctions)
        for (const context of contexts) {
          const may = linkPermissions(viewer, { ...context, sanction: s });
          for (const c of comments)
            for (const action of actions) {
              const expected = can(viewer, action, c, { ...context, sanction: s }).allowed;
              expect(may(action, c), `${action} by ${viewer?.userId ?? 'nobody'} (${viewer?.emailVerified}) on ${JSON.stringify(c.deletedAt ?? c.createdAt)} ${s?.kind ?? ''} ${context.now.toISOString()}`).toBe(expected);
              cases++;
              if (expected) allowed++;
            }
        }
    // Both answers occur often: the table is not all refusals.
    expect(cases).toBe(viewers.length * sanctions.length * contexts.length * comments.length * actions.length);
    expect(allowed).toBeGreaterThan(cases / 10);
    expect(allowed).toBeLessThan(cases / 2);
  });
});

describe('why the policy refuses, in the reader’s language', () => {
  const fr = createTranslator('fr');
  const en = createTranslator('en');
  const said = (d: ReturnType<typeof can>, i18n = fr) => (d.allowed ? null : decisionMessage(d, i18n));

  it('explains a closed conversation, the edit window and the sanctions in French, the English unchanged', () => {
    const closedDecision = can(actor(2), 'post', null, closed);
    expect(said(closedDecision, en)).toBe('This conversation is closed: you can still read it, but no longer post, edit or react.');
    expect(said(closedDecision)).toBe('Cette conversation est close\u202f: vous pouvez toujours la lire, mais plus y publier, modifier ni réagir.');
    const late = can(actor(1), 'edit', comment(1), { ...open, now: new Date('2024-01-02T00:00:00Z') });
    expect(late.allowed ? null : [late.code, late.message]).toEqual(['edit_window_passed', `Comments can be edited for ${DEFAULT_SETTINGS.editWindowMinutes} minutes after posting; that time has passed. You can still delete it.`]);
    expect(said(late)).toContain(`pendant ${DEFAULT_SETTINGS.editWindowMinutes} minutes`);
    const sanction = (kind: 'warn' | 'suspend' | 'ban', until: Date | null = null) => ({ kind, until, reason: 'Be kind.', acknowledgedAt: null, createdAt: now });
    const banned = can(actor(2), 'post', null, { ...open, sanction: sanction('ban') });
    expect(banned.allowed ? null : banned.code).toBe('author_banned');
    expect(said(banned)).toBe('Vous avez été exclu des commentaires de ce site.');
    const suspended = can(actor(2), 'post', null, { ...open, sanction: sanction('suspend', new Date('2024-02-01T10:00:00Z')) });
    expect(said(suspended, en)).toBe('You are suspended from commenting until 1 February 2024 at 10:00 UTC.');
    expect(said(suspended)).toBe('Vous êtes suspendu des commentaires jusqu’au 1 février 2024 à 10:00 UTC.');
    const warned = can(actor(2), 'post', null, { ...open, sanction: sanction('warn') });
    expect(said(warned, en)).toBe('A moderator has warned you: “Be kind.”. Read and acknowledge the warning on /moderation/warning before commenting again.');
    expect(said(warned)).toContain('«\u202fBe kind.\u202f»');
  });
});
