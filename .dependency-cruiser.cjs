/**
 * The import rules of the house (docs/architecture.md), checked by `npm test` (scripts/check-architecture.ts).
 * Type-only imports are allowed across layers where noted: they vanish at run time and carry no behaviour.
 */
const SERVER = '^packages/server/src/';
module.exports = {
  forbidden: [
    {
      name: 'api-not-http',
      comment: 'Operations hold business logic; the route layer (http/) calls them, never the other way round.',
      severity: 'error',
      from: { path: `${SERVER}api/` },
      to: { path: `${SERVER}http/` },
    },
    {
      name: 'sql-only-in-data-and-db',
      comment: 'Only data/ and db/ run SQL: nothing else imports the query builder or its drivers.',
      severity: 'error',
      from: { path: SERVER, pathNot: [`${SERVER}(data|db)/`, '\\.test\\.ts$'] },
      to: { path: '^node_modules/(kysely|better-sqlite3|pg)/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'store-opened-by-roots',
      comment: 'Opening the store (db/connect.ts) is for composition roots and entry points, which hand it to data/.',
      severity: 'error',
      from: { path: SERVER, pathNot: [`${SERVER}(data|db)/`, `${SERVER}(context|server|cli|index)\\.ts$`, `${SERVER}cli/`, `${SERVER}seed/bench-seed\\.ts$`, '\\.test\\.ts$'] },
      to: { path: `${SERVER}db/connect\\.ts$`, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'migrations-frozen',
      comment: 'A migration does today what it did when it was written: it imports nothing outside db/.',
      severity: 'error',
      from: { path: `${SERVER}db/migrations/` },
      to: { path: SERVER, pathNot: `${SERVER}db/` },
    },
    {
      name: 'views-pure',
      comment: 'Views shape rows they are given; they never load data.',
      severity: 'error',
      from: { path: [`${SERVER}pipeline/present`, `${SERVER}streams/views`, `${SERVER}delivery/views`] },
      to: { path: [`${SERVER}data/`, `${SERVER}db/`], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'query-language-pure',
      comment:
        'The query language (lexer, parser, AST, matcher) knows nothing of storage; it may name the shapes of the domain rows it matches (type-only imports of data/rows.ts).',
      severity: 'error',
      from: { path: `${SERVER}query/` },
      to: { path: [`${SERVER}(data|db|search)/`, '^node_modules/(kysely|better-sqlite3|pg)/'], pathNot: `${SERVER}data/rows\\.ts$` },
    },
    {
      name: 'query-language-pure-rows',
      comment: 'Row shapes only: nothing of data/ runs in the query language.',
      severity: 'error',
      from: { path: `${SERVER}query/` },
      to: { path: `${SERVER}data/rows\\.ts$`, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'data-flows-down',
      comment: 'Storage answers the layers above and never calls them.',
      severity: 'error',
      from: { path: `${SERVER}(data|db)/` },
      to: { path: `${SERVER}(api|http|domain|pipeline|streams)/` },
    },
    {
      name: 'domain-below-http',
      comment: 'The domain and the read pipeline know nothing of routes or handlers.',
      severity: 'error',
      from: { path: `${SERVER}(domain|pipeline)/` },
      to: { path: `${SERVER}(api|http)/` },
    },
    {
      name: 'sdk-not-server',
      comment: 'The SDK ships to users: it never imports server code.',
      severity: 'error',
      from: { path: '^packages/sdk/src/' },
      to: { path: '^packages/(server|dev-env|testing|conformance)/' },
    },
    {
      name: 'console-not-server',
      comment: 'The console is a browser app: it reaches Roost through @roost/sdk and the console API, never server code.',
      severity: 'error',
      from: { path: '^packages/console/src/' },
      to: { path: '^packages/(server|dev-env|testing|conformance|contract)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'types', 'default'], extensions: ['.ts', '.js'] },
    // The rules are about shipped code; tests may reach across layers to set up and observe.
    exclude: { path: ['^packages/[^/]+/src/generated/', '^packages/[^/]+/dist/', '\\.test\\.ts$', '/tests/'] },
  },
};
