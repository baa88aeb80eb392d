/** DELETE /2/connections/:endpoint_id: force-disconnects the app's streams of one endpoint. */
import { meter, PRICES } from '../../limits/metering.js';
import { operation } from '../operation.js';
import type { EndpointName } from '../../streams/hub.js';
import { appOf, str } from '../shared.js';
import { killResult } from './connection-views.js';

export const deleteConnectionsByEndpoint = operation({
  operationId: 'deleteConnectionsByEndpoint',
  rateLimit: {},
  metering: meter.request(PRICES.manage),
  async handle(req) {
    const endpoint = str(req.params.endpoint_id) as EndpointName;
    return killResult(req.ctx.streams.kill(appOf(req), (c) => c.endpoint === endpoint));
  },
});
