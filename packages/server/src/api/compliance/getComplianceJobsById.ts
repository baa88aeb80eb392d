/** GET /2/compliance/jobs/:id: one of the app's jobs with its state on the server clock. */
import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { appOf } from '../shared.js';
import { PROBLEMS } from '../../errors.js';
import { COMPLIANCE_LIMIT, jobView } from './compliance-views.js';

export const getComplianceJobsById = operation({
  operationId: 'getComplianceJobsById',
  rateLimit: COMPLIANCE_LIMIT,
  metering: meter.free,
  async handle(req) {
    const id = String(req.params.id);
    const job = await req.ctx.repos.complianceJobs.byId(id);
    if (!job || job.appId !== appOf(req)) {
      return {
        body: {
          errors: [
            { value: id, detail: `Could not find compliance job with id: [${id}].`, title: 'Not Found Error', resource_type: 'compliance_job', parameter: 'id', resource_id: id, type: `${PROBLEMS}resource-not-found` },
          ],
        },
      };
    }
    return { body: { data: jobView(req.ctx, job) } };
  },
});
