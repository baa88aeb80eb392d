import { meter } from '../../limits/metering.js';
import { requireMode } from '../../domain/notes.js';
import { CURSORS, walkIds } from '../../pipeline/pagination.js';
import { noteFields, presentNote } from '../../pipeline/present-notes.js';
import { operation } from '../operation.js';
import { plainList, userOf } from '../shared.js';

/**
 * GET /2/notes/search/notes_written — the caller's notes of the mode asked (test notes, or — once admitted — notes
 * on the product), newest first.
 */
export const searchCommunityNotesWritten = operation({
  operationId: 'searchCommunityNotesWritten',
  rateLimit: { user: 90 },
  metering: meter.read('note'),
  async handle(req) {
    const me = userOf(req);
    const testMode = req.params.test_mode === true;
    await requireMode(req.ctx.repos, me, testMode);
    const page = await walkIds(CURSORS.notesWritten, req.params, Number(req.params.max_results ?? 10), {}, (q) => req.ctx.repos.notes.pageIds(me, testMode, q));
    const notes = await req.ctx.repos.notes.byIds(page.ids);
    const fields = noteFields(req.params);
    return plainList(page.ids.flatMap((id) => (notes.has(id) ? [presentNote(notes.get(id)!, fields)] : [])), page);
  },
});
