// What the running server starts for webhooks (src/community/runtime.ts registers both).
export { webhookJobHandlers } from './delivery-job.ts';
export { webhookSubscriber } from './subscriber.ts';
