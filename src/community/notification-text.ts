import { createTranslator, type MessageKey, type Translator } from '../i18n/index.ts';
import { NOTIFICATION_KINDS } from './model.ts';

// The words for a notification, the same on the page and in mails, from the catalogs
// (notification.sentence.* and notification.kind.*). Pages still pass no translator: English.

export interface NotificationWords {
  kind: string;
  actorName: string | null;
  actorCount: number;
  headline: string | null;
}

const ENGLISH = createTranslator('en');
const SENTENCE_KINDS = new Set<string>(NOTIFICATION_KINDS);

export function notificationSentence(n: NotificationWords, i18n: Translator = ENGLISH): string {
  // i18n-keys: notification.sentence.*
  const key = `notification.sentence.${SENTENCE_KINDS.has(n.kind) ? n.kind : 'other'}` as MessageKey;
  return i18n.t(key, {
    who: n.actorName ?? i18n.t('notification.formerReader'),
    count: n.actorCount,
    where: n.headline ? 'article' : 'none',
    headline: n.headline ?? '',
  });
}

/** What a mail's subject (and the settings page) calls one kind. */
export function kindLabel(kind: string, i18n: Translator = ENGLISH): string {
  // i18n-keys: notification.kind.*
  return i18n.t(`notification.kind.${kind}` as MessageKey);
}
