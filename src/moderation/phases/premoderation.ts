import { keyedReason, type Phase } from '../model.ts';

/** On a pre-moderated article (or a pre-moderated site) every comment waits for a moderator. */
export const premoderation: Phase = {
  name: 'premoderation',
  run({ article, settings }) {
    if (article.mode !== 'pre' && !settings.premodAll) return undefined;
    const where = article.mode === 'pre' ? 'moderation.detail.premoderatedArticle' : 'moderation.detail.premoderatedAll';
    return { status: 'held', reason: keyedReason('premoderated', where) };
  },
};
