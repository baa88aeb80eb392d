import { meter, PRICES } from '../../limits/metering.js';
import { createNote } from '../../domain/notes.js';
import { isRefusal } from '../../domain/write.js';
import { operation } from '../operation.js';
import { userOf } from '../shared.js';
import { refused } from '../write-answers.js';

/**
 * POST /2/notes — the caller proposes a note on a post eligible for notes (domain/notes.ts has the rules); a post
 * the caller cannot see is answered with X's `errors`.
 */
export const createCommunityNotes = operation({
  operationId: 'createCommunityNotes',
  rateLimit: { user: 90, user24h: 250 },
  metering: meter.request(PRICES.manage),
  async handle(req) {
    const { post_id, test_mode, info } = req.body;
    const made = await createNote(req.ctx, userOf(req), {
      postId: post_id,
      testMode: test_mode,
      text: info.text,
      classification: info.classification,
      misleadingTags: info.misleading_tags,
      trustworthySources: info.trustworthy_sources,
      isMediaNote: info.is_media_note ?? false,
    });
    if (isRefusal(made)) return refused(made, 'post_id');
    return { status: 201, body: { data: { id: made.id } } };
  },
});
