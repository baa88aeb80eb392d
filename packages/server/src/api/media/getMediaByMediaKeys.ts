/** GET /2/media: media objects by keys; unknown keys are not-found problems. */
import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { presentMedia } from '../../pipeline/present.js';
import { notFound } from '../../pipeline/problems.js';
import { partial, selection } from '../shared.js';
import { lookup } from './media-access.js';

export const getMediaByMediaKeys = operation({
  operationId: 'getMediaByMediaKeys',
  rateLimit: {},
  metering: meter.read('resource'),
  async handle(req) {
    const keys = req.params.media_keys as string[];
    const found = await lookup(req, keys);
    const sel = selection(req);
    const data = keys.filter((k) => found.has(k)).map((k) => presentMedia(found.get(k)!, sel));
    const errors = keys.filter((k) => !found.has(k)).map((k) => notFound('media', 'media_keys', k));
    return partial(data, errors);
  },
});
