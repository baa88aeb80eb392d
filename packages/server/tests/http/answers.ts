/** X's answers as the HTTP tests of writes check them: the Not Found Problem, the 409 and the 400 invalid-request body. */
import { expect } from 'vitest';

export const PROBLEMS = 'https://api.twitter.com/2/problems/';

/** The Problem of an id that names nothing the caller may see, in a 200 (FACTS §1.2). */
export const notFoundProblem = (resourceType: string, parameter: string, id: string) => ({
  value: id,
  detail: `Could not find ${resourceType} with ${parameter}: [${id}].`,
  title: 'Not Found Error',
  resource_type: resourceType,
  parameter,
  resource_id: id,
  type: `${PROBLEMS}resource-not-found`,
});

export const conflictBody = (detail: string) => ({ title: 'Conflict', detail, type: `${PROBLEMS}conflict`, status: 409 });

/** X's 400 naming `param`: query and path parameters in `parameters`, body members in the message's JSON path. */
export function expectInvalid(r: { status: number; body: any }, param: string): void {
  expect(r.status, JSON.stringify(r.body)).toBe(400);
  expect(r.body.title).toBe('Invalid Request');
  expect(r.body.type).toBe(`${PROBLEMS}invalid-request`);
  expect(JSON.stringify(r.body.errors)).toContain(param);
}
