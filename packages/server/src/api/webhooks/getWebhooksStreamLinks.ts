/**
 * GET /2/tweets/search/webhooks: the webhooks linked to the app's filtered stream. `fields` lists the parameters
 * given when linking, one `name=value` each; `instance_id` names the app's stream instance (the app id) and
 * `business_user_id` the app's owner.
 */
import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { appOf } from '../shared.js';
import { iso } from '../../pipeline/present.js';
import { WEBHOOKS_CRUD } from './webhook-views.js';

export const getWebhooksStreamLinks = operation({
  operationId: 'getWebhooksStreamLinks',
  rateLimit: WEBHOOKS_CRUD,
  metering: meter.free,
  async handle(req) {
    const appId = appOf(req);
    const app = await req.ctx.repos.apps.byId(appId);
    const links = await req.ctx.repos.webhooks.linksOf(appId);
    const data = links.map((l) => ({
      application_id: appId,
      business_user_id: app?.ownerUserId ?? appId,
      created_at: iso(l.createdAt),
      fields: Object.entries(l.params).map(([k, v]) => `${k}=${v}`),
      instance_id: appId,
      webhook_id: l.webhookId,
    }));
    return { body: { data } };
  },
});
