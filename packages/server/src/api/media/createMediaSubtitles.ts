/** POST /2/media/subtitles: attaches a processed subtitles file to the caller's video. */
import { meter, PRICES } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { kindOfCategory } from '../../media/service.js';
import { managed, subtitledVideo } from './media-access.js';
import { invalid } from './upload-request.js';

export const createMediaSubtitles = operation({
  operationId: 'createMediaSubtitles',
  rateLimit: {},
  metering: meter.request(PRICES.manage),
  async handle(req) {
    const b = req.body;
    const video = await subtitledVideo(req, b.id, b.media_category);
    const s = b.subtitles;
    if (!s?.id) throw invalid('subtitles.id', [], '$.subtitles.id: is missing but it is required');
    if (!s.language_code) throw invalid('subtitles.language_code', [], '$.subtitles.language_code: is missing but it is required');
    const sub = await managed(req, s.id, 'subtitles.id');
    if (kindOfCategory(sub.mediaCategory) !== 'subtitles') throw invalid('subtitles.id', [s.id], `The media id [${s.id}] is not a subtitles file.`);
    if (!req.ctx.media.isReady(sub)) throw invalid('subtitles.id', [s.id], `The media id [${s.id}] is not a processed subtitles file.`);
    const entry = { id: s.id, language_code: s.language_code, ...(s.display_name ? { display_name: s.display_name } : {}) };
    const list = [...(video.subtitles ?? []).filter((x) => x.language_code !== s.language_code), entry];
    await req.ctx.repos.mediaUploads.setSubtitles(video.id, list);
    return { body: { data: { id: video.id, media_category: b.media_category, associated_subtitles: { subtitles: list } } } };
  },
});
