/** POST /2/media/metadata: alt text and sensitive-media warnings of the caller's media. */
import { meter, PRICES } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { setMetadata } from '../../domain/media.js';
import { userOf } from './upload-request.js';

export const createMediaMetadata = operation({
  operationId: 'createMediaMetadata',
  rateLimit: { user: 500, app24h: 50_000 },
  metering: meter.request(PRICES.manage),
  async handle(req) {
    const b = req.body;
    const merged = await setMetadata(req.ctx, userOf(req), b.id, b.metadata ?? {});
    return { body: { data: { id: b.id, associated_metadata: merged } } };
  },
});
