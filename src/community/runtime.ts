import { accountMailHandlers } from '../accounts/mail-jobs.ts';
import type { AppContext } from '../context.ts';
import { JobRunner } from '../events/job-runner.ts';
import type { JobHandler } from '../events/jobs.ts';
import { DurableSubscriber, type SubscriberOptions } from '../events/subscriber.ts';
import { mediaJobHandlers } from '../media/article-image-job.ts';
import { embedJobHandlers } from '../embed/conversations.ts';
import { notificationsFanout } from './fanout.ts';
import { webhookJobHandlers, webhookSubscriber } from '../webhooks/runtime.ts';
import { mailJobHandlers } from './mail-jobs.ts';

// The community's background work in a running server: the job runner and the durable subscribers.
// app.ts starts it after the database is ready and stops it before the database closes. The CLI
// does not start it, so a one-off command never picks up jobs.

export interface CommunityRuntime {
  jobs: JobRunner;
  subscribers: DurableSubscriber[];
  stop(): Promise<void>;
}

/**
 * Job handlers by kind: the notification mails (at once, daily digest), the account mails and the
 * copies of imported articles' pictures, the pages of first-time embeds. The
 * runner only claims kinds it has a handler for, so during a rolling upgrade an older process leaves
 * newer kinds to newer ones.
 */
export function communityJobHandlers(ctx: AppContext): Record<string, JobHandler> {
  return { ...mailJobHandlers(ctx), ...accountMailHandlers(ctx), ...mediaJobHandlers(ctx), ...embedJobHandlers(ctx), ...webhookJobHandlers(ctx) };
}

/** The durable subscribers. */
export function communitySubscribers(ctx: AppContext): SubscriberOptions[] {
  return [notificationsFanout(), webhookSubscriber(ctx)];
}

export async function startCommunity(ctx: AppContext): Promise<CommunityRuntime> {
  const log = ctx.log;
  // Running jobs get most of the shutdown's time, then are aborted (which gives their lease back as a
  // retry) well before SHUTDOWN_TIMEOUT_S ends the process.
  const stopTimeoutMs = Math.max(1000, (ctx.config.ops?.shutdownTimeoutS ?? 10) * 1000 - 6000);
  const jobs = new JobRunner({ db: ctx.db.kysely, dialect: ctx.db.dialect, bus: ctx.bus, handlers: communityJobHandlers(ctx), log, stopTimeoutMs });
  const subscribers = communitySubscribers(ctx).map((options) => new DurableSubscriber(ctx, { log, ...options }));
  jobs.start();
  for (const subscriber of subscribers) await subscriber.start();
  return {
    jobs,
    subscribers,
    async stop() {
      for (const subscriber of subscribers) await subscriber.stop();
      await jobs.stop();
    },
  };
}
