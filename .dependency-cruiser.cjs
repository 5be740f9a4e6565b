// @ts-check
/**
 * The architecture rules `npm run lint` checks with dependency-cruiser: the
 * layers of src/ (a folder imports only the rows below its own, however many
 * `../` the path takes) and no import cycle anywhere in src/, type-only
 * imports included.
 */

/**
 * The folders of src/, top row first. A folder imports only folders of the
 * rows below its own: not a folder above it, nor its peers in its row.
 * README.md (Development) shows the same order.
 */
const LAYERS = [
  ['cli'],
  ['api'],
  ['capacity', 'explain', 'import'],
  ['compact'],
  ['runner'],
  ['report'],
  ['metrics'],
  ['sim'],
  ['schedulers'],
  ['workload'],
  ['model'],
  ['core'],
];

const ORDER = LAYERS.map((row) => row.join(' · ')).join(' → ');

/** One rule per folder that has something it must not import. */
const layerRules = LAYERS.flatMap((row, i) =>
  row.flatMap((folder) => {
    const forbidden = [...LAYERS.slice(0, i).flat(), ...row.filter((f) => f !== folder)];
    if (forbidden.length === 0) return [];
    return [
      {
        name: `layer-${folder}`,
        severity: 'error',
        comment: `src/${folder} imports only the layers below it (${ORDER}).`,
        from: { path: `^src/${folder}/` },
        to: { path: `^src/(${forbidden.join('|')})/` },
      },
    ];
  }),
);

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import cycle (type-only imports count too): move what both sides need into a module of its own.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    ...layerRules,
  ],
  options: {
    includeOnly: '^src/',
    // `import type` edges are dependencies too: a cycle of types is still a cycle in the design.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
