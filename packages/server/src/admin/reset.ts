/** Back to the start: the database as it was once started (ROOST_RESETTABLE), clock, faults and log renewed. */
import { adminRoute } from './route.js';
import { conflict } from './views.js';

export const reset = adminRoute({
  id: 'reset',
  summary: 'Restores the database snapshot taken at start and rebuilds the server on the same port (no restart).',
  auth: 'admin',
  async handle({ admin }) {
    if (!admin.reset) throw conflict('This server keeps no start snapshot: start it with ROOST_RESETTABLE=on and a SQLite database.');
    return { body: await admin.reset() };
  },
});
