// Reader sanctions as moderation understands them: one current sanction per reader, and the pure
// rule that turns it into the author status the pipeline reads. A suspension ends by itself.
import { t, type MessageKey, type MessageValues } from '../i18n/index.ts';
import type { AuthorStatus } from './model.ts';

export const SANCTION_KINDS = ['warn', 'suspend', 'ban', 'lift'] as const;
export type SanctionKind = (typeof SANCTION_KINDS)[number];

export interface Sanction {
  kind: 'warn' | 'suspend' | 'ban';
  until: Date | null;
  reason: string;
  acknowledgedAt: Date | null;
  createdAt: Date;
}

/** What the sanction means now: an expired suspension is no sanction at all. */
export function authorStatusOf(sanction: Sanction | null, now = new Date()): AuthorStatus {
  if (!sanction) return 'active';
  if (sanction.kind === 'ban') return 'banned';
  if (sanction.kind === 'suspend') return sanction.until === null || sanction.until.getTime() > now.getTime() ? 'suspended' : 'active';
  return 'warned';
}

/** A warned reader must say they have read the warning before they comment again. */
export const mustAcknowledge = (sanction: Sanction | null): boolean => sanction?.kind === 'warn' && sanction.acknowledgedAt === null;

export const WARNING_PAGE = '/moderation/warning';

/** `message` is the English; `key` and `values` say it in the reader's language. */
export interface SanctionRefusal {
  status: 403;
  code: string;
  message: string;
  key: MessageKey;
  values?: MessageValues;
}

const refusal = (code: string, key: MessageKey, values?: MessageValues): SanctionRefusal => ({ status: 403, code, message: t('en', key, values), key, values });

/**
 * Why a sanctioned reader may not write now, in the words they are shown (on the page instead of the
 * composer, and in the refusal of a post); null when they may.
 */
export function sanctionRefusal(sanction: Sanction | null, now = new Date()): SanctionRefusal | null {
  if (mustAcknowledge(sanction)) return refusal('warning_unacknowledged', 'moderation.refused.warned', { reason: sanction!.reason, page: WARNING_PAGE });
  switch (authorStatusOf(sanction, now)) {
    case 'banned':
      return refusal('author_banned', 'moderation.refused.banned');
    case 'suspended':
      // The end goes as a date, so each reader reads it in their own language's form (in UTC, zone named).
      return sanction!.until ? refusal('author_suspended', 'moderation.refused.suspendedUntil', { until: sanction!.until }) : refusal('author_suspended', 'moderation.refused.suspended');
    default:
      return null;
  }
}
