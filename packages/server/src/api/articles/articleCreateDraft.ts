/** POST /2/articles/draft: saves an article draft of the caller's; 201 `{id, title}`. */
import { meter, PRICES } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { createDraft } from '../../domain/articles.js';
import { userOf } from '../shared.js';

export const articleCreateDraft = operation({
  operationId: 'articleCreateDraft',
  rateLimit: {},
  metering: meter.request(PRICES.manage),
  async handle(req) {
    const a = await createDraft(req.ctx, userOf(req), req.body);
    return { status: 201, body: { data: { id: a.id, title: a.title } } };
  },
});
