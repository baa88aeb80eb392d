import { operation as describe } from '@roost/contract';
import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { openApiDocument } from './openapi-document.js';

/** `GET /2/openapi.json`: the OpenAPI 3 document of the operations this server implements, for this server's URL. */
export const getOpenApiSpec = operation({
  operationId: 'getOpenApiSpec',
  rateLimit: {},
  metering: meter.free,
  async handle(req) {
    const ops = req.ctx.operations;
    const descriptors = ops.map((o) => {
      const d = describe(o.operationId);
      return o.extraParams ? { ...d, params: [...d.params, ...o.extraParams] } : d;
    });
    return { body: openApiDocument(descriptors, req.origin) };
  },
});
