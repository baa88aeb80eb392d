/** POST /2/compliance/jobs: a job for post or user ids; the ids file is then PUT to its `upload_url`. */
import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { appOf } from '../shared.js';
import { createJob } from '../../domain/compliance.js';
import { COMPLIANCE_LIMIT, jobView } from './compliance-views.js';

export const createComplianceJobs = operation({
  operationId: 'createComplianceJobs',
  rateLimit: COMPLIANCE_LIMIT,
  metering: meter.free,
  async handle(req) {
    const job = await createJob(req.ctx, appOf(req), req.body);
    return { body: { data: jobView(req.ctx, job) } };
  },
});
