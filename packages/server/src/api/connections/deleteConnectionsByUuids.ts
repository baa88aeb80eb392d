/** DELETE /2/connections: force-disconnects the app's streams by connection id; unknown ids are failed kills. */
import { meter, PRICES } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { appOf } from '../shared.js';
import { killResult } from './connection-views.js';

export const deleteConnectionsByUuids = operation({
  operationId: 'deleteConnectionsByUuids',
  rateLimit: {},
  metering: meter.request(PRICES.manage),
  async handle(req) {
    const appId = appOf(req);
    const { uuids } = req.body;
    const wanted = new Set(uuids);
    const killed = req.ctx.streams.kill(appId, (c) => wanted.has(c.id));
    const done = new Set(killed);
    const failed = [...wanted].filter((u) => !done.has(u)).map((uuid) => ({ uuid, message: 'No active connection with this id' }));
    return killResult(killed, failed);
  },
});
