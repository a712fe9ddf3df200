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
