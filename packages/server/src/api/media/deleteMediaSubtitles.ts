/** DELETE /2/media/subtitles: removes a language's subtitles from the caller's video. */
import { meter, PRICES } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { subtitledVideo } from './media-access.js';

export const deleteMediaSubtitles = operation({
  operationId: 'deleteMediaSubtitles',
  rateLimit: {},
  metering: meter.request(PRICES.manage),
  async handle(req) {
    const b = req.body;
    const video = await subtitledVideo(req, b.id, b.media_category);
    const before = video.subtitles ?? [];
    const after = before.filter((x) => x.language_code !== b.language_code);
    if (after.length !== before.length) await req.ctx.repos.mediaUploads.setSubtitles(video.id, after);
    return { body: { data: { deleted: after.length !== before.length } } };
  },
});
