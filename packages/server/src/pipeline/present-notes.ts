/**
 * The view of a Community Note (pure): `id` and `info` by default. Test notes carry the evaluator's outcome
 * (`test_result`) and no status; notes on the product carry their status — every one needs more ratings, as only
 * people rate notes and Roost's world has no raters.
 */
import type { NoteRow } from '../data/notes.js';
import { noteStatus } from './rules.js';

export function presentNote(n: NoteRow, fields: ReadonlySet<string>): Record<string, unknown> {
  const status = noteStatus(n);
  const out: Record<string, unknown> = { id: n.id };
  if (fields.has('info')) {
    out.info = {
      post_id: n.postId,
      text: n.text,
      classification: n.classification,
      misleading_tags: n.misleadingTags,
      trustworthy_sources: n.trustworthySources,
      ...(status ? { rating_status: status } : {}),
    };
  }
  if (fields.has('status') && status) out.status = status;
  if (fields.has('scoring_status') && !n.testMode) out.scoring_status = { rating_counts_per_model: [] };
  if (fields.has('test_result') && n.testMode) {
    out.test_result = {
      evaluation_outcome: [
        { evaluator_type: 'UrlValidity', evaluator_score_bucket: n.urlValidity },
        { evaluator_type: 'HarassmentAbuse', evaluator_score_bucket: n.harassmentAbuse },
        { evaluator_type: 'ClaimOpinion', evaluator_score_bucket: n.claimOpinion },
      ],
    };
  }
  return out;
}

/** `note.fields`, with X's default (`id`, `info`) when none are asked. */
export const noteFields = (params: Record<string, unknown>): Set<string> =>
  new Set(Array.isArray(params['note.fields']) ? ['id', ...(params['note.fields'] as string[])] : ['id', 'info']);
