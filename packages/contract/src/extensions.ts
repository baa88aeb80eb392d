/**
 * Routes X serves that spec 2.167 does not list, written in the contract's shape so the server declares and
 * routes them exactly like spec operations (the only hand-written descriptors; nobody else types a route):
 * - `blockUser` / `unblockUser`: the classic v2 blocking writes, still answered by X, used by older clients;
 * - `getUsageCredits`: `GET /2/usage/credits`, observed and undocumented (FACTS §4.4);
 * - `mediaUploadV1` / `mediaUploadStatusV1`: `POST|GET /1.1/media/upload.json`, which twitter-api-v2 and tweepy
 *   still use for uploads (REAL-CLIENTS.md).
 */
import type { OperationDescriptor, ParamDescriptor, SecurityRequirement } from './types.js';
import type { RequestBodies, Wire } from './generated/bodies.js';

const userId = (name: string): ParamDescriptor => ({ name, in: 'path', required: true, type: 'string', pattern: '^[0-9]{1,19}$' });
const query = (name: string, extra: Partial<ParamDescriptor> = {}): ParamDescriptor => ({ name, in: 'query', required: false, type: 'string', ...extra });

const BLOCK_SECURITY: readonly SecurityRequirement[] = [
  { scheme: 'OAuth2UserToken', scopes: ['block.write', 'tweet.read', 'users.read'] },
  { scheme: 'UserToken', scopes: [] },
];

/** The v1.1 upload's parameters: the legacy `command=INIT|APPEND|FINALIZE|STATUS` forms in the query string. */
export const legacyMediaUploadParams: readonly ParamDescriptor[] = [
  query('command', { enum: ['INIT', 'APPEND', 'FINALIZE', 'STATUS'] }),
  query('media_id', { pattern: '^[0-9]{1,19}$' }),
  query('total_bytes', { pattern: '^[0-9]{1,17}$' }),
  query('media_type'),
  query('media_category'),
  query('segment_index', { pattern: '^[0-9]{1,3}$' }),
  query('additional_owners'),
  query('shared', { enum: ['true', 'false'] }),
];

const mediaUploadV1 = {
  operationId: 'mediaUploadV1',
  method: 'POST',
  path: '/1.1/media/upload.json',
  tag: 'Media',
  streaming: false,
  security: [
    { scheme: 'OAuth2UserToken', scopes: ['media.write'] },
    { scheme: 'UserToken', scopes: [] },
  ],
  params: legacyMediaUploadParams,
  responses: { '200': null },
} as const satisfies OperationDescriptor;

export const extensionOperations = [
  {
    operationId: 'blockUser',
    method: 'POST',
    path: '/2/users/{id}/blocking',
    tag: 'Users',
    streaming: false,
    security: BLOCK_SECURITY,
    params: [userId('id')],
    // The same body as mutes and follows: `{"target_user_id"}`, nothing else.
    body: { required: true, contentTypes: ['application/json'], schema: 'MuteUserRequest' },
    responses: { '200': null },
  },
  {
    operationId: 'unblockUser',
    method: 'DELETE',
    path: '/2/users/{source_user_id}/blocking/{target_user_id}',
    tag: 'Users',
    streaming: false,
    security: BLOCK_SECURITY,
    params: [userId('source_user_id'), userId('target_user_id')],
    responses: { '200': null },
  },
  {
    operationId: 'getUsageCredits',
    method: 'GET',
    path: '/2/usage/credits',
    tag: 'Usage',
    streaming: false,
    security: [
      { scheme: 'BearerToken', scopes: [] },
      { scheme: 'OAuth2UserToken', scopes: [] },
      { scheme: 'UserToken', scopes: [] },
    ],
    params: [],
    responses: { '200': null },
  },
  mediaUploadV1,
  { ...mediaUploadV1, operationId: 'mediaUploadStatusV1', method: 'GET' },
] as const satisfies readonly OperationDescriptor[];

export type ExtensionOperationId = (typeof extensionOperations)[number]['operationId'];

/** The JSON body types of every route: the spec's and the extensions'. */
export interface RouteBodies extends RequestBodies {
  blockUser: Wire.MuteUserRequest;
}
