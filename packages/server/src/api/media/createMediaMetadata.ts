/** POST /2/media/metadata: alt text and sensitive-media warnings of the caller's media. */
import { meter, PRICES } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { kindOfCategory } from '../../media/service.js';
import { managed } from './media-access.js';
import { invalid } from './upload-request.js';

const SENSITIVE_KEYS = new Set(['adult_content', 'graphic_violence', 'other']);

export const createMediaMetadata = operation({
  operationId: 'createMediaMetadata',
  rateLimit: { user: 500, app24h: 50_000 },
  metering: meter.request(PRICES.manage),
  async handle(req) {
    const b = req.body;
    const u = await managed(req, b.id, 'id');
    const kind = kindOfCategory(u.mediaCategory);
    const md = b.metadata ?? {};
    if (md.alt_text && kind !== 'image' && kind !== 'gif') {
      throw invalid('metadata.alt_text', [], 'Alt text can only be set on images and animated GIFs.');
    }
    const warn = md.sensitive_media_warning;
    if (warn) {
      for (const [k, v] of Object.entries(warn)) {
        if (!SENSITIVE_KEYS.has(k) || typeof v !== 'boolean') {
          throw invalid('metadata.sensitive_media_warning', [k], `$.metadata.sensitive_media_warning.${k}: must be one of adult_content, graphic_violence, other with a boolean value`);
        }
      }
    }
    const merged = { ...(u.metadata ?? {}), ...md };
    await req.ctx.repos.mediaUploads.setMetadata(u.id, merged);
    if (md.alt_text) await req.ctx.repos.attachments.setAltText(u.mediaKey, md.alt_text.text === '' ? null : md.alt_text.text);
    return { body: { data: { id: u.id, associated_metadata: merged } } };
  },
});
