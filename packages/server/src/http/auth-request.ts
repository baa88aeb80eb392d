import type { FastifyRequest } from 'fastify';
import type { AuthRequest } from '../auth/authenticate.js';

/** The parts of an HTTP request that authentication looks at. */
export function authRequestOf(req: FastifyRequest): AuthRequest {
  const ct = String(req.headers['content-type'] ?? '');
  const form = ct.startsWith('application/x-www-form-urlencoded') && req.body && typeof req.body === 'object'
    ? (req.body as Record<string, string | string[]>)
    : undefined;
  return { authorization: req.headers.authorization, method: req.method, url: req.url, host: req.headers.host, form };
}
