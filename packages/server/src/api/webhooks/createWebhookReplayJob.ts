/**
 * POST /2/webhooks/replay: sends a webhook the deliveries of a past window again (domain/webhooks.ts
 * `createReplayJob`), then a `replay_job_status` message.
 */
import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { appOf } from '../shared.js';
import { createReplayJob } from '../../domain/webhooks.js';
import { iso } from '../../pipeline/present.js';

export const createWebhookReplayJob = operation({
  operationId: 'createWebhookReplayJob',
  rateLimit: { app: 100 },
  metering: meter.free,
  async handle(req) {
    const job = await createReplayJob(req.ctx, appOf(req), req.body);
    req.ctx.delivery.wake();
    return { body: { data: { job_id: job.id, created_at: iso(job.createdAt) } } };
  },
});
