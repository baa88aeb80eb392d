export { postgresAvailable, postgresBinDir, startPostgres, type PostgresServer } from './postgres.js';
export { freePort } from './ports.js';
export { redisAvailable, redisBinary, startRedis, type RedisServer } from './redis.js';
export { startCluster, CLUSTER_CREDENTIALS, type Cluster, type ClusterNode, type ClusterOptions } from './cluster.js';
export { startTestServer, TEST_NOW, type TestServer, type TestResponse, type RequestOptions } from './harness.js';
export { recordApiHit } from './api-hits.js';
export { checkResponse, checkErrorBody, toModernNames, operationFor, SchemaMismatch } from './schema-check.js';
export { REPO_ROOT, ROOST_BIN, runRoost } from './roost-cli.js';
export { encodePng } from '@roost/server';
