/** POST /2/media/subtitles: attaches a processed subtitles file to the caller's video. */
import { meter, PRICES } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { addSubtitles, subtitledVideo } from '../../domain/media.js';
import { userOf } from './upload-request.js';

export const createMediaSubtitles = operation({
  operationId: 'createMediaSubtitles',
  rateLimit: {},
  metering: meter.request(PRICES.manage),
  async handle(req) {
    const b = req.body;
    const me = userOf(req);
    const video = await subtitledVideo(req.ctx, me, b.id, b.media_category);
    const list = await addSubtitles(req.ctx, me, video, b.subtitles);
    return { body: { data: { id: video.id, media_category: b.media_category, associated_subtitles: { subtitles: list } } } };
  },
});
