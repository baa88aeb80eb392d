/** DELETE /2/media/subtitles: removes a language's subtitles from the caller's video. */
import { meter, PRICES } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { removeSubtitles, subtitledVideo } from '../../domain/media.js';
import { userOf } from './upload-request.js';

export const deleteMediaSubtitles = operation({
  operationId: 'deleteMediaSubtitles',
  rateLimit: {},
  metering: meter.request(PRICES.manage),
  async handle(req) {
    const b = req.body;
    const video = await subtitledVideo(req.ctx, userOf(req), b.id, b.media_category);
    return { body: { data: { deleted: await removeSubtitles(req.ctx, video, b.language_code) } } };
  },
});
