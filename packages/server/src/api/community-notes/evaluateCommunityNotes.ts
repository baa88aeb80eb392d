import { meter } from '../../limits/metering.js';
import { evaluateDraft } from '../../domain/notes.js';
import { isRefusal } from '../../domain/write.js';
import { operation } from '../operation.js';
import { userOf } from '../shared.js';
import { refused } from '../write-answers.js';

/**
 * POST /2/notes/evaluate — the evaluator's claim-opinion score of a draft note for a post (domain/notes.ts), the
 * same score a note written with that text gets; nothing is stored.
 */
export const evaluateCommunityNotes = operation({
  operationId: 'evaluateCommunityNotes',
  rateLimit: { user: 90 },
  metering: meter.free,
  async handle(req) {
    const score = await evaluateDraft(req.ctx, userOf(req), req.body.post_id, req.body.note_text);
    if (isRefusal(score)) return refused(score, 'post_id');
    return { body: { data: { claim_opinion_score: score } } };
  },
});
