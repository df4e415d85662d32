/**
 * Import rules of Vigie (see ARCHITECTURE.md, "Who may import whom"), checked by `npm test`
 * (test/architecture/imports.test.ts). `IMPORT_MATRIX` lists, for each folder of src/, the other src/ folders it
 * may import; '*' marks the composition roots. A folder missing from the matrix fails the test.
 */
const IMPORT_MATRIX = {
  sdk: [],
  errors: [],
  geometry: [],
  logging: [],
  metrics: [],
  frames: [],
  config: ['sdk', 'errors', 'geometry'],
  store: ['config', 'errors', 'sdk'],
  assets: ['config', 'errors'],
  server: ['errors', 'logging', 'metrics'],
  publish: ['sdk', 'config', 'errors', 'logging', 'metrics', 'store', 'auth'],
  soap: ['errors', 'logging'],
  auth: ['errors', 'soap'],
  rtsp: ['auth', 'errors', 'logging'],
  discovery: ['errors', 'logging', 'soap'],
  simulator: ['auth', 'discovery', 'errors', 'logging', 'rtsp', 'soap'],
  onvif: ['assets', 'auth', 'errors', 'logging', 'soap'],
  cameras: ['config', 'discovery', 'errors', 'logging', 'onvif', 'store'],
  tracking: ['config', 'sdk'],
  rules: ['config', 'errors', 'geometry', 'sdk', 'tracking'],
  events: ['config', 'errors', 'frames', 'geometry', 'logging', 'rules', 'sdk', 'store'],
  analytics: ['config', 'errors', 'events', 'frames', 'logging', 'rules', 'sdk', 'store', 'tracking'],
  metadata: ['auth', 'errors', 'geometry', 'logging', 'metrics', 'rtsp', 'sdk', 'soap'],
  device: ['auth', 'config', 'discovery', 'errors', 'geometry', 'logging', 'sdk', 'soap'],
  ingest: ['config', 'errors', 'logging', 'metrics', 'frames', 'rtsp'],
  inference: ['assets', 'config', 'errors', 'logging', 'metrics', 'frames', 'sdk'],
  queue: ['config', 'errors', 'logging', 'frames', 'sdk'],
  pipeline: ['config', 'errors', 'logging', 'metrics', 'frames', 'sdk', 'queue', 'ingest', 'inference'],
  app: ['*'],
  cli: ['*'],
};

const layerRules = Object.entries(IMPORT_MATRIX)
  .filter(([, allowed]) => !allowed.includes('*'))
  .map(([folder, allowed]) => ({
    name: `layer-${folder}`,
    comment: `src/${folder} may import only: ${allowed.length ? allowed.map((a) => `src/${a}`).join(', ') : 'nothing else in src'} (ARCHITECTURE.md)`,
    severity: 'error',
    from: { path: `^src/${folder}/` },
    to: { path: '^src/', pathNot: `^src/(${[folder, ...allowed].join('|')})/` },
  }));

/** @type {import('dependency-cruiser').IConfiguration} */
const config = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'import cycles make start-up order and testing fragile',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'plugins-import-only-sdk',
      comment: 'a plugin may import only src/sdk (the plugin contract) from Vigie',
      severity: 'error',
      from: { path: '^plugins/' },
      to: { path: '^src/', pathNot: '^src/sdk/' },
    },
    {
      name: 'plugins-are-independent',
      comment: 'a plugin may not import another plugin',
      severity: 'error',
      from: { path: '^plugins/([^/]+)/' },
      to: { path: '^plugins/', pathNot: '^plugins/$1/' },
    },
    {
      name: 'through-index-only',
      comment: 'another folder of src/ is used through its index.ts, never its internals',
      severity: 'error',
      from: { path: '^src/([^/]+)/' },
      to: { path: '^src/[^/]+/', pathNot: ['^src/$1/', '^src/[^/]+/index\\.ts$'] },
    },
    {
      name: 'src-not-to-tests',
      comment: 'product code does not depend on tests, benchmarks or plugins',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|bench|plugins)/' },
    },
    {
      name: 'src-not-to-dev-dependencies',
      comment: 'product code may not use devDependencies (they are absent in production installs)',
      severity: 'error',
      from: { path: '^(src|plugins)/', pathNot: '/test/' },
      to: { dependencyTypes: ['npm-dev'], pathNot: 'node_modules/@types/' },
    },
    ...layerRules,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules|coverage)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
  },
};

module.exports = config;
// Read by the architecture test and ARCHITECTURE.md check; not a dependency-cruiser option.
Object.defineProperty(module.exports, 'IMPORT_MATRIX', { value: IMPORT_MATRIX, enumerable: false });
