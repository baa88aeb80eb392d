/** GET /2/compliance/jobs?type=…[&status=…]: the app's jobs of one type, newest first. */
import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { appOf } from '../shared.js';
import { statusOf } from '../../domain/compliance.js';
import { COMPLIANCE_LIMIT, jobView } from './compliance-views.js';

export const getComplianceJobs = operation({
  operationId: 'getComplianceJobs',
  rateLimit: COMPLIANCE_LIMIT,
  metering: meter.free,
  async handle(req) {
    const now = req.ctx.clock.now();
    const status = req.params.status as string | undefined;
    const jobs = (await req.ctx.repos.complianceJobs.byApp(appOf(req), req.params.type as 'tweets' | 'users')).filter((j) => !status || statusOf(j, now) === status);
    const body: Record<string, unknown> = {};
    if (jobs.length) body.data = jobs.map((j) => jobView(req.ctx, j));
    body.meta = { result_count: jobs.length };
    return { body };
  },
});
