/** POST /2/chat/media/upload/:id/append: one segment of the encrypted bytes (multipart, or base64 in JSON). */
import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { appendMedia, mediaSession } from '../../domain/chats.js';
import { discard, intField, invalid, readUpload } from '../media/upload-request.js';
import { userOf } from '../shared.js';
import { CHAT_LIMIT } from './chat-requests.js';

const FIELDS = new Set(['segment_index', 'conversation_id', 'media_hash_key']);

export const chatMediaUploadAppend = operation({
  operationId: 'chatMediaUploadAppend',
  rateLimit: CHAT_LIMIT,
  metering: meter.free,
  async handle(req) {
    const me = userOf(req);
    const id = String(req.params.id);
    const { fields, file } = await readUpload(req);
    try {
      const unknown = Object.keys(fields).filter((k) => !FIELDS.has(k));
      if (unknown.length) throw invalid(unknown[0]!, [], `$.${unknown[0]}: is not defined in the schema and the schema does not allow additional properties`);
      const session = await mediaSession(req.ctx, me, id, fields.conversation_id, fields.media_hash_key);
      const index = intField(fields, 'segment_index');
      if (index === undefined) throw invalid('segment_index', [], '$.segment_index: is missing but it is required');
      if (!file) throw invalid('media', [], '$.media: is missing but it is required');
      const u = await appendMedia(req.ctx, me, session, index, file);
      return { body: { data: { expires_at: Math.floor(u.expiresAt / 1000) } } };
    } finally {
      await discard(file);
    }
  },
});
