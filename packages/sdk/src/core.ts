/**
 * `@roost/sdk/core`: everything but `Client` and the operations — the `BaseClient` that operation functions and
 * sub-clients imported on their own (`@roost/sdk/users`, …) run on, errors, rate limits, paginators, OAuth, the
 * includes resolver, transports and types.
 */
export { BaseClient, VERSION, type ClientConfig, type ClientRequestOptions, type AuthType, type OAuth1Signer } from './base.js';
export { ApiError } from './errors.js';
export { parseRateLimit, rateLimitOf } from './rate-limit.js';
export { OAuth1, signOAuth1, percentEncode, signatureBaseString, type OAuth1Config, type OAuth1RequestToken, type OAuth1AccessToken } from './oauth1.js';
export { OAuth2, getBearerToken, type OAuth2Config, type OAuth2Token } from './oauth2.js';
export { CryptoUtils, loadCrypto, hmacSha1, generateNonce, generateTimestamp, generateCodeVerifier, generateCodeChallenge } from './crypto.js';
export { Paginator, PostPaginator, UserPaginator, EventPaginator, type PaginatedResponse, type PaginationMeta, type PaginatorOptions, type Paginated } from './paginator.js';
// Streams are opened by `client.stream.*` (or the stream operation functions); the class is a type, as officially.
export type { EventDrivenStream, StreamDataEvent, StreamEventMap, StreamReconnectEvent } from './stream.js';
export { fetchTransport, TimeoutError, type Transport, type TransportRequest, type TransportResponse, type HeaderBag } from './transport.js';
export { defaultTransport, nodeTransportAvailable } from './platform.js';
export { Includes, includesOf, resolveIncludes } from './includes.js';
export type {
  IncludesOf, IncludedUser, IncludedPost, IncludedMedia, IncludedPoll, IncludedPlace, IncludedTopic, Reference, ReferenceType, Relations,
  Resolved, WithIncludes, PostKeys, UserKeys, SpaceKeys, ListKeys, DmEventKeys, LikeKeys,
} from './includes.js';
export type { Operation, PagedOperation } from './operation.js';
export type { SubClientConstructor } from './define.js';
export type { RequestOptions, OptionsBase, StreamOptionsBase, ReconnectOptions, RateLimitInfo, RateLimitWindow } from './types.js';
export type * as Schemas from './generated/schemas.js';
