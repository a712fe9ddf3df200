// Reader sanctions as moderation understands them: one current sanction per reader, and the pure
// rule that turns it into the author status the pipeline reads. A suspension ends by itself.
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

const utc = (date: Date) => `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/**
 * Why a sanctioned reader may not write now, in the words they are shown (on the page instead of the
 * composer, and in the refusal of a post); null when they may.
 */
export function sanctionRefusal(sanction: Sanction | null, now = new Date()): { status: 403; code: string; message: string } | null {
  if (mustAcknowledge(sanction)) {
    return { status: 403, code: 'warning_unacknowledged', message: `A moderator has warned you: “${sanction!.reason}”. Read and acknowledge the warning on ${WARNING_PAGE} before commenting again.` };
  }
  switch (authorStatusOf(sanction, now)) {
    case 'banned':
      return { status: 403, code: 'author_banned', message: 'You have been banned from commenting on this site.' };
    case 'suspended':
      return { status: 403, code: 'author_suspended', message: `You are suspended from commenting${sanction!.until ? ` until ${utc(sanction!.until)}` : ''}.` };
    default:
      return null;
  }
}
