/**
 * The storage URLs of batch compliance jobs (domain/compliance.ts), outside the operations as X's are (signed
 * storage URLs, no bearer token):
 * - `PUT /compliance/jobs/:id/upload?expires=…&signature=…` takes the ids file (any content type, text);
 * - `GET /compliance/jobs/:id/download?expires=…&signature=…` gives the result lines once the job is complete.
 */
import type { FastifyInstance } from 'fastify';
import type { Context } from '../context.js';
import { jobForTransfer, receiveUpload, statusOf } from '../domain/compliance.js';
import { ProblemError } from '../errors.js';

/** The largest ids file taken (a million 19-digit ids with line ends is about 20 MB). */
const MAX_UPLOAD_BYTES = 32 * 1024 * 1024;

export function registerComplianceRoutes(app: FastifyInstance, ctx: Context): void {
  void app.register(async (scope) => {
    // Clients send text/plain (twitter-api-v2), application/octet-stream or nothing at all: every body is text here.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string', bodyLimit: MAX_UPLOAD_BYTES }, (_req, body, done) => done(null, body));

    scope.put('/compliance/jobs/:id/upload', { bodyLimit: MAX_UPLOAD_BYTES }, async (req, reply) => {
      const q = req.query as Record<string, string | undefined>;
      const job = await jobForTransfer(ctx, 'upload', (req.params as { id: string }).id, q.expires ?? '', q.signature ?? '');
      await receiveUpload(ctx, job, typeof req.body === 'string' ? req.body : '');
      return reply.status(200).send('');
    });

    scope.get('/compliance/jobs/:id/download', async (req, reply) => {
      const q = req.query as Record<string, string | undefined>;
      const job = await jobForTransfer(ctx, 'download', (req.params as { id: string }).id, q.expires ?? '', q.signature ?? '');
      const status = statusOf(job, ctx.clock.now());
      if (status !== 'complete') {
        throw new ProblemError(404, { title: 'Not Found', type: 'about:blank', status: 404, detail: `The result of job ${job.id} is not ready (status: ${status}).` });
      }
      // Text, one JSON object per line (clients split it themselves; a JSON content type would make them parse it whole).
      return reply.type('text/plain; charset=utf-8').send((await ctx.repos.complianceJobs.result(job.id)) ?? '');
    });
  });
}
