/** DELETE /2/connections/all: force-disconnects every stream of the app (each gets an operational-disconnect line). */
import { meter, PRICES } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { appOf } from '../shared.js';
import { killResult } from './connection-views.js';

export const deleteAllConnections = operation({
  operationId: 'deleteAllConnections',
  rateLimit: {},
  metering: meter.request(PRICES.manage),
  async handle(req) {
    return killResult(req.ctx.streams.kill(appOf(req), () => true));
  },
});
