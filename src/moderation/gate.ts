import type { Kysely } from 'kysely';
import type { Actor } from '../accounts/model.ts';
import { conversationOpen } from '../comments/model.ts';
import { recentBodiesBy } from '../comments/store.ts';
import type { Database } from '../db/schema.ts';
import { HttpError } from '../http/errors.ts';
import type { Settings } from '../settings/model.ts';
import { isRefusal, moderationSettings, type Decision } from './model.ts';
import { moderate } from './pipeline.ts';
import { authorStatusOf, mustAcknowledge, sanctionRefusal, type Sanction } from './sanctions.ts';
import { gateFacts } from './store.ts';

// Where the comments feature hands a new or edited comment to moderation: it gathers the facts the
// pure pipeline needs, runs it, and turns a refusal into an HTTP answer before anything is written.

export interface GateInput {
  actor: Actor;
  article: { id: number; commentsOpen: boolean; publishedAt: Date | null; createdAt: Date };
  settings: Settings;
  /** After normaliseBody. */
  body: string;
  /** The comment being edited, or null for a new one. */
  editing: { id: number } | null;
  /** The author's recent texts when the caller has read them already (newest first). */
  previousBodies?: string[];
  now?: Date;
}

// The site's settings are read once for many posts (settings/store.ts keeps them a while); their
// pipeline form is made once for each such object, not at every post.
const pipelineForms = new WeakMap<Settings, ReturnType<typeof moderationSettings>>();

export const pipelineSettings = (s: Settings) => {
  let form = pipelineForms.get(s);
  if (!form) pipelineForms.set(s, (form = pipelineSettingsOf(s)));
  return form;
};

const pipelineSettingsOf = (s: Settings) =>
  moderationSettings({
    bannedWords: s.bannedWords,
    suspectWords: s.suspectWords,
    holdLinks: s.holdLinks,
    premodAll: s.premodAll,
    newReaderHoldCount: s.newReaderHoldCount,
    reportHoldThreshold: s.reportHoldThreshold,
    spamHoldThreshold: s.spamHoldThreshold,
    // One limit for the whole site: the comments setting.
    maxLength: s.commentMaxLength,
  });

export { WARNING_PAGE } from './sanctions.ts';

export async function moderateOrRefuse(db: Kysely<Database>, input: GateInput): Promise<Decision> {
  const now = input.now ?? new Date();
  const { sanction, history, mode } = await gateFacts(db, input.actor.userId, input.article.id);
  if (mustAcknowledge(sanction)) {
    const refused = sanctionRefusal(sanction, now)!;
    throw HttpError.translated(refused.status, refused.code, refused.key, refused.values);
  }
  const decision = await moderate({
    body: input.body,
    isEdit: input.editing !== null,
    article: { commentsOpen: mode !== 'closed' && conversationOpen(input.article, input.settings, now), mode },
    author: {
      userId: input.actor.userId,
      role: input.actor.role,
      status: authorStatusOf(sanction, now),
      approvedCount: history?.approvedCount ?? 0,
      rejectedCount: history?.rejectedCount ?? 0,
      accountAgeDays: history ? Math.floor((now.getTime() - history.createdAt.getTime()) / 86_400_000) : 0,
      previousBodies: input.previousBodies ?? (await recentBodiesBy(db, input.actor.userId, input.editing?.id ?? null)),
    },
    reportCount: input.editing ? Number((await db.selectFrom('comments').select('report_count').where('id', '=', input.editing.id).executeTakeFirst())?.report_count ?? 0) : 0,
    settings: pipelineSettings(input.settings),
  });
  if (isRefusal(decision)) throw refusalError(decision, sanction, now);
  return decision;
}

/** The pipeline's own sentence as the refusal (the length rules say how long is allowed). */
function reasonError(status: number, code: string, decision: Decision): HttpError {
  const { detailKey, values, detail } = decision.reason;
  return detailKey ? HttpError.translated(status, code, detailKey, values) : new HttpError(status, code, detail);
}

function refusalError(decision: Decision, sanction: Sanction | null, now: Date): HttpError {
  switch (decision.reason.code) {
    case 'author_banned':
    case 'author_suspended': {
      const refused = sanctionRefusal(sanction, now);
      return refused ? HttpError.translated(refused.status, refused.code, refused.key, refused.values) : reasonError(403, decision.reason.code, decision);
    }
    case 'conversation_closed':
      return HttpError.translated(403, 'comments_closed', 'moderation.refused.closed');
    default:
      return reasonError(400, 'invalid_comment', decision);
  }
}
