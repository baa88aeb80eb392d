/** GET /2/media/:media_key: one media object (seeded media, and uploads once processed). */
import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { presentMedia } from '../../pipeline/present.js';
import { notFound } from '../../pipeline/problems.js';
import { selection } from '../shared.js';
import { lookup } from './media-access.js';

export const getMediaByMediaKey = operation({
  operationId: 'getMediaByMediaKey',
  rateLimit: {},
  metering: meter.read('resource'),
  async handle(req) {
    const key = String(req.params.media_key);
    const m = (await lookup(req, [key])).get(key);
    if (!m) return { body: { errors: [notFound('media', 'media_key', key)] } };
    return { body: { data: presentMedia(m, selection(req)) } };
  },
});
