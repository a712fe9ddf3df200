import type { AppContext } from '../context.ts';
import { EmbedRefused, findConversation, findOrCreateConversation } from '../embed/conversations.ts';
import { isUnderOrigins, parseArticleAddress } from '../sites/addresses.ts';
import type { Site } from '../sites/model.ts';
import type { KeyedMessage } from '../i18n/keyed-error.ts';
import { countReason, type Reason, type SourceThread } from './model.ts';

// Each conversation of a file is matched to an article by its address, as the embed matches a page
// (conversations.ts: canonical URL, with or without the trailing slash, http or https, `www.`), or
// given one (allowed origins only), or skipped with the reason; once per conversation and run.

export type ThreadTarget = { articleId: number } | { skip: Reason };

export interface TargetOptions {
  site: Site;
  /** false: an address with no article is skipped rather than given one. */
  create: boolean;
  /** Nothing is created: a new conversation counts, with no article (-1). */
  dryRun: boolean;
}

export interface TargetTally {
  matched: number;
  created: number;
  skipped: Record<string, number>;
}

export class ConversationTargets {
  private readonly threads = new Map<string, SourceThread>();
  private readonly targets = new Map<string, ThreadTarget>();

  constructor(
    private readonly ctx: AppContext,
    private readonly options: TargetOptions,
    private readonly tally: TargetTally,
    /** The catalog messages of the reasons counted in the tally (ImportSummary.reasons). */
    private readonly reasons: Record<string, KeyedMessage> = {},
  ) {}

  /** A conversation read from the file (threads come before their comments in every format). */
  add(thread: SourceThread): void {
    this.threads.set(thread.sourceId, thread);
  }

  /** The target already found for this conversation, without waiting (most comments'). */
  known(threadId: string): ThreadTarget | undefined {
    return this.targets.get(threadId);
  }

  /** The article a comment of this conversation goes to, or why it is skipped. */
  async of(threadId: string): Promise<ThreadTarget> {
    const known = this.targets.get(threadId);
    if (known) return known;
    const thread = this.threads.get(threadId);
    const result: ThreadTarget = thread ? await this.match(thread) : { skip: { key: 'cli.comments.skip.noConversation' } };
    if ('skip' in result && thread) countReason(this.tally.skipped, this.reasons, result.skip);
    this.targets.set(threadId, result);
    return result;
  }

  private async match(thread: SourceThread): Promise<ThreadTarget> {
    const { site, create, dryRun } = this.options;
    const url = thread.address ? parseArticleAddress(thread.address) : null;
    if (!url) return { skip: { key: 'cli.comments.skip.noAddress' } };
    const found = await findConversation(this.ctx.db.kysely, site, url);
    if (found) {
      this.tally.matched++;
      return { articleId: Number(found.id) };
    }
    if (!create) return { skip: { key: 'cli.comments.skip.noArticle' } };
    if (!isUnderOrigins(url, site.origins)) return { skip: { key: 'cli.comments.skip.notUnderOrigins', values: { site: site.name } } };
    if (dryRun) {
      this.tally.created++;
      return { articleId: -1 };
    }
    try {
      const article = await findOrCreateConversation(this.ctx, site, url, thread.title ?? undefined);
      this.tally.created++;
      return { articleId: Number(article.id) };
    } catch (error) {
      // The address belongs to another site's article: the conversation is not moved across sites.
      if (!(error instanceof EmbedRefused)) throw error;
      return { skip: error.words };
    }
  }
}
