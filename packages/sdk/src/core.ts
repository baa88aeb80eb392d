/**
 * The eagerly loaded code, as the lazily loaded modules (retry, streams, paging, node transport, generated
 * sub-clients) import it. They import it only through this module, so every eager file is reached from the same
 * set of entry points and bundlers emit it as one chunk (one request, one gzip stream) instead of six. (`defineSubClient`
 * is only theirs: it loads with the first descriptor module.)
 */
export { ApiError } from './errors.js';
export { parseRateLimit } from './rate-limit.js';
export { bitOf, rateLimitOf } from './client.js';
export { callOperation } from './operation.js';
export { defineSubClient } from './define.js';
export { camelToSnake, put } from './keys.js';
export { TimeoutError } from './transport.js';
export { subClients } from './generated/index.js';
