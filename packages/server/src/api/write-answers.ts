/** X's answers to a refused write: a 200 carrying only `errors`, naming the request member that was refused. */
import type { OperationResult } from './operation.js';
import type { Refusal } from '../domain/write.js';
import { notAuthorized, notFound, suspended, type Problem } from '../pipeline/problems.js';
import { folderNotFound } from './posts/getUsersBookmarksByFolderId.js';

function problemOf(r: Refusal, parameter: string): Problem {
  const value = r.id;
  switch (r.refused) {
    case 'post-missing':
      return notFound('tweet', parameter, value);
    case 'post-unauthorized':
      return notAuthorized('tweet', parameter, value, 'data');
    case 'user-missing':
      return notFound('user', parameter, value);
    case 'user-suspended':
      return suspended(parameter, value);
    case 'folder-missing':
      return folderNotFound(value);
    case 'list-missing':
      return notFound('list', parameter, value);
    case 'list-unauthorized':
      return notAuthorized('list', parameter, value, 'data');
  }
}

export const refused = (r: Refusal, parameter: string): OperationResult => ({ body: { errors: [problemOf(r, parameter)] } });
