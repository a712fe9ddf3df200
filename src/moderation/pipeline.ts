// Every new or edited comment passes these phases in order. A phase that returns a status decides,
// and the rest do not run; a phase without a status only adds tags or a spam score. Adding a rule is
// adding a file to phases/ and a line to PHASES.
import { keyedReason, type Decision, type ModerationDeps, type ModerationInput, type Phase, type Tag } from './model.ts';
import { authorStatus } from './phases/author-status.ts';
import { bannedWords } from './phases/banned-words.ts';
import { conversationClosed } from './phases/conversation-closed.ts';
import { length } from './phases/length.ts';
import { links } from './phases/links.ts';
import { newReader } from './phases/new-reader.ts';
import { premoderation } from './phases/premoderation.ts';
import { repeatedText } from './phases/repeated-text.ts';
import { reports } from './phases/reports.ts';
import { spamScore } from './phases/spam-score.ts';
import { suspectWords } from './phases/suspect-words.ts';
import { trustedRole } from './phases/trusted-role.ts';
import { spamScore as committedSpamScore } from './spam.ts';

/**
 * The order is the policy (see README.md). Refusals first: a comment that cannot be posted at all
 * need not be read. Then the newsroom's own people, approved before the content checks. Then the
 * content: rejecting (banned words) before holding, and the holds whose reason tells a moderator
 * most about the text before those that are only about who wrote it or where (new reader,
 * pre-moderation), so that the queue shows "suspect word: …" rather than "new reader" when both apply.
 */
export const PHASES: readonly Phase[] = [
  length,
  conversationClosed,
  authorStatus,
  trustedRole,
  bannedWords,
  suspectWords,
  links,
  repeatedText,
  reports,
  spamScore,
  newReader,
  premoderation,
];

export const DEFAULT_DEPS: ModerationDeps = { spamScore: committedSpamScore };

export async function moderate(input: ModerationInput, deps: ModerationDeps = DEFAULT_DEPS, phases: readonly Phase[] = PHASES): Promise<Decision> {
  const tags = new Set<Tag>(input.isEdit ? ['edited'] : []);
  let spamScore: number | null = null;
  for (const phase of phases) {
    // Most phases answer at once: only a promise is awaited (a dozen awaits per comment otherwise).
    const answer = phase.run(input, deps);
    const result = answer instanceof Promise ? await answer : answer;
    if (!result) continue;
    for (const tag of result.tags ?? []) tags.add(tag);
    if (result.spamScore !== undefined) spamScore = result.spamScore;
    if (result.status) return { status: result.status, reason: result.reason, tags: [...tags], spamScore, phase: phase.name };
  }
  return { status: 'approved', reason: keyedReason('no_objection', 'moderation.detail.noObjection'), tags: [...tags], spamScore, phase: 'default' };
}
