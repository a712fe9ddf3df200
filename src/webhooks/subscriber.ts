import type { AppContext } from '../context.ts';
import { enqueueJob } from '../events/jobs.ts';
import type { SubscriberOptions } from '../events/subscriber.ts';
import { deliveryJob, eventMessageId } from './delivery-job.ts';
import { INTERNAL_TYPES, messageFor, publicNameOf } from './events.ts';
import { endpointsFor } from './store.ts';

// The events webhooks tell of become delivery jobs here: a durable subscriber, so the jobs are
// written in the same transaction as its position. An event is turned into jobs exactly once (the
// position and the jobs commit together; the dedupe key makes even a repeat harmless), and each
// job runs at least once (jobs.ts).

export function webhookSubscriber(ctx: AppContext): SubscriberOptions {
  return {
    name: 'webhooks.deliveries',
    types: INTERNAL_TYPES,
    // Endpoints hear of what happens after they are registered, not of the past.
    startFrom: 'now',
    async handle(event, tx) {
      const name = publicNameOf(event.type);
      if (!name) return;
      // Most sites have few endpoints or none: look before building a message nobody wants.
      const wanting = await endpointsFor(tx.db, null, name);
      if (wanting.length === 0) return;
      const addressed = await messageFor(tx.db, event, ctx.config.publicUrl);
      if (!addressed) return;
      const { siteIds } = addressed;
      const endpoints = siteIds === null ? wanting : wanting.filter((e) => siteIds.includes(e.siteId));
      for (const endpoint of endpoints) {
        await enqueueJob(tx.db, deliveryJob({ endpointId: endpoint.id, messageId: eventMessageId(event.id, endpoint.id), message: addressed.message }));
      }
      if (endpoints.length > 0) tx.wake();
    },
  };
}
