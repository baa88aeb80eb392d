/**
 * POST /2/tweets/search/webhooks/:webhook_id: posts matching the app's filtered-stream rules are POSTed to the
 * webhook (the stream's own line: data, includes, matching_rules), with the fields and expansions given here.
 * Linking again replaces the parameters.
 */
import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { appOf } from '../shared.js';
import { linkStream } from '../../domain/webhooks.js';
import { WEBHOOKS_CRUD } from './webhook-views.js';
import { linkParams, STREAM_LINK_PARAMS } from './stream-link-params.js';

export const createWebhooksStreamLink = operation({
  operationId: 'createWebhooksStreamLink',
  rateLimit: WEBHOOKS_CRUD,
  metering: meter.free,
  extraParams: STREAM_LINK_PARAMS,
  async handle(req) {
    await linkStream(req.ctx, appOf(req), String(req.params.webhook_id), linkParams(req.params));
    return { body: { data: { provisioned: true } } };
  },
});
