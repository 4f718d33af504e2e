/**
 * The layers of src/, lowest first. A module may import its own folder and any lower layer, never
 * a higher one nor a sibling folder of its own layer; nothing imports the entry points at the top
 * of src/. Test files may import anything; production code never imports test support.
 */
const LAYERS = [
  ['core', 'log'],
  ['engine'],
  ['runtime'],
  ['io'],
  ['sinks'],
  ['faults'],
  ['tasks'],
  ['cli'],
  ['render', 'chaos'],
  ['testing'],
];

/** Modules that exist for tests only: test support (and anything under the test data). */
const TEST_SUPPORT = ['^src/testing/', '^src/testdata/'];

const TESTS = '\\.test\\.ts$';
const KNOWN = LAYERS.flat().concat(['testdata']);

function layerRules() {
  const rules = [];
  LAYERS.forEach((layer, rank) => {
    for (const folder of layer) {
      const above = LAYERS.slice(rank + 1).flat();
      const siblings = layer.filter((f) => f !== folder);
      const forbidden = above.concat(siblings);
      if (forbidden.length === 0) continue;
      rules.push({
        name: `layer-${folder}`,
        comment: `src/${folder}/ may import only ${LAYERS.slice(0, rank).flat().join(', ') || 'itself'} below it`,
        severity: 'error',
        from: { path: `^src/${folder}/`, pathNot: TESTS },
        to: { path: `^src/(${forbidden.join('|')})/` },
      });
    }
  });
  return rules;
}

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No import circles in src/.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    ...layerRules(),
    {
      name: 'engine-through-its-face',
      comment: 'Outside src/engine/, the byte engine is imported only through src/engine/index.ts.',
      severity: 'error',
      from: { pathNot: '^src/engine/' },
      to: { path: '^src/engine/', pathNot: '^src/engine/index\\.ts$' },
    },
    {
      name: 'shard-machinery-below-tasks',
      comment: 'src/tasks/shard/ serves the task files: of the top of src/tasks/ it imports only contracts.ts and options.ts.',
      severity: 'error',
      from: { path: '^src/tasks/shard/', pathNot: TESTS },
      to: { path: '^src/tasks/[^/]+\\.ts$', pathNot: '^src/tasks/(contracts|options)\\.ts$' },
    },
    {
      name: 'entry-points-on-top',
      comment: 'The files at the top of src/ (cli.ts, reference.ts) are entry points: nothing in src/ imports them.',
      severity: 'error',
      from: { path: '^src/[^/]+/', pathNot: TESTS },
      to: { path: '^src/[^/]+\\.ts$' },
    },
    {
      name: 'layer-unknown',
      comment: `Every folder of src/ has a layer (${KNOWN.join(', ')}).`,
      severity: 'error',
      from: { path: '^src/[^/]+/', pathNot: [`^src/(${KNOWN.join('|')})/`] },
      to: {},
    },
    {
      name: 'no-test-support-in-production',
      comment: 'Production code never imports a module that exists for tests.',
      severity: 'error',
      from: { path: '^src/', pathNot: [TESTS, ...TEST_SUPPORT] },
      to: { path: TEST_SUPPORT },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)node_modules/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    combinedDependencies: false,
  },
};
