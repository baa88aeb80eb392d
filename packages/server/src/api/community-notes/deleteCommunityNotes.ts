import { meter, PRICES } from '../../limits/metering.js';
import { deleteNote } from '../../domain/notes.js';
import { notFound } from '../../pipeline/problems.js';
import { operation } from '../operation.js';
import { userOf } from '../shared.js';

/** DELETE /2/notes/:id — the author deletes their note; someone else's is 403, an unknown one a Not Found Problem. */
export const deleteCommunityNotes = operation({
  operationId: 'deleteCommunityNotes',
  rateLimit: { user: 90 },
  metering: meter.request(PRICES.manage),
  async handle(req) {
    const id = String(req.params.id);
    if (!(await deleteNote(req.ctx, userOf(req), id))) return { body: { errors: [notFound('note', 'id', id)] } };
    return { body: { data: { deleted: true } } };
  },
});
