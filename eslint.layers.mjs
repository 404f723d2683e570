/**
 * The import directions of this package, checked by `npm run lint` (docs/ARCHITECTURE.md draws
 * them). Two maintained rules from eslint-plugin-import-x, which n8n's lint config already loads:
 *
 * - `import-x/no-restricted-paths`: a folder imports only folders below it in LAYERS, src/ never
 *   imports nodes/ or credentials/, and one node's folder never imports another's.
 * - `import-x/no-cycle`: no chain of runtime imports leads back to the file it starts from.
 *
 * plus ESLint's own `no-restricted-imports`: src/ never imports n8n-workflow or n8n-core.
 */

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * src/ from the bottom up: a folder may import the folders listed before it, never one after it.
 * Folders on one line are peers: they may not import each other either.
 */
const LAYERS = [
  // errors: FieldError, the base of every "bad value" error, which every other folder throws.
  ['src/errors'],
  // process-wide: one instance per name on globalThis; redis: one client per connection, stream groups.
  ['src/types', 'src/encoding', 'src/optout', 'src/otp', 'src/process-wide'],
  // reassembly: long messages from their parts, for the SMS Trigger's pipeline and the modem's reader.
  ['src/phone', 'src/redis', 'src/reassembly'],
  ['src/transport/smpp'],
  ['src/tlv'],
  ['src/throttle'],
  ['src/dlr'],
  // The modem transport reports receipts in dlr/'s format; dlr/ tracks a modem's receipts through
  // a shape (ModemReportSource), so it does not import the modem.
  ['src/transport/modem'],
  ['src/observability'],
  ['src/registry'],
  ['src/gateway', 'src/inbound'],
  ['src/journal'],
  ['src/broadcast'],
  ['src/cellbroadcast'],
  ['src/sandbox'],
  ['src/cli'],
];

const NODE_FOLDERS = ['BulkAlertBroadcast', 'OtpIssue', 'OtpVerify', 'SendSms', 'SmsTrigger'];
/** nodes/shared/ reads two nodes' parameter lists to name fields in OTP errors. */
const SHARED_READS_NODE = { OtpIssue: ['issue-properties.ts'], OtpVerify: ['verify-properties.ts'] };

/** A folder of src/ without a layer would be checked by nothing: lint stops and says so. */
function checkEveryFolderHasALayer() {
  const root = path.dirname(fileURLToPath(import.meta.url));
  const ranked = new Set(LAYERS.flat());
  const folders = fs
    .readdirSync(path.join(root, 'src'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((entry) =>
      entry.name === 'transport'
        ? fs
            .readdirSync(path.join(root, 'src', 'transport'), { withFileTypes: true })
            .filter((e) => e.isDirectory())
            .map((e) => `src/transport/${e.name}`)
        : [`src/${entry.name}`],
    );
  const missing = folders.filter((folder) => !ranked.has(folder));
  if (missing.length > 0)
    throw new Error(`eslint.layers.mjs: ${missing.join(', ')} has no place in LAYERS; add it where its imports put it (and to docs/ARCHITECTURE.md)`);
}

function zone(target, from, except, message) {
  return { target: `./${target}`, from: `./${from}`, ...(except ? { except: except.map((file) => `./${file}`) } : {}), message };
}

function layerZones() {
  checkEveryFolderHasALayer();
  const zones = [];
  LAYERS.forEach((layer, rank) => {
    const above = LAYERS.slice(rank + 1).flat();
    for (const target of layer) {
      for (const from of [...above, ...layer.filter((peer) => peer !== target)]) {
        zones.push(zone(target, from, undefined, `${target} is below ${from} (eslint.layers.mjs, docs/ARCHITECTURE.md)`));
      }
    }
  });
  zones.push(zone('src', 'nodes', undefined, 'src/ is the n8n-independent core: it never imports nodes/'));
  zones.push(zone('src', 'credentials', undefined, 'src/ is the n8n-independent core: it never imports credentials/'));
  for (const node of NODE_FOLDERS) {
    for (const other of NODE_FOLDERS.filter((name) => name !== node)) {
      zones.push(zone(`nodes/${node}`, `nodes/${other}`, undefined, "one node never imports another node's folder: share through nodes/shared/ or src/"));
    }
    zones.push(zone('nodes/shared', `nodes/${node}`, SHARED_READS_NODE[node], 'nodes/shared/ is below the node folders'));
  }
  return zones;
}

/**
 * nodes/ and credentials/ import src/ only through a module's entry, src/<module>/index.ts (for
 * the transports src/transport/smpp and src/transport/modem): what a module offers other layers
 * is one file to read, and its other files can move without touching a node.
 */
const INTERNAL_SRC_FILE = String.raw`^(\.\./)+src/(?!transport/(smpp|modem)$)(transport/[^/]+/.+|(?!transport/)[^/]+/.+)$`;

/** The layer rules, as one flat-config block for the TypeScript files that ESLint checks. */
export const layerRules = [
  {
    files: ['**/*.ts'],
    settings: {
      // Without it import-x follows imports into .js files only, and no-cycle sees no cycle in
      // TypeScript (test/architecture/import-layers.test.ts failed so before this line).
      'import-x/extensions': ['.ts', '.js'],
    },
    rules: {
      'import-x/no-restricted-paths': ['error', { zones: layerZones() }],
      'import-x/no-cycle': 'error',
    },
  },
  {
    files: ['nodes/**/*.ts', 'credentials/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: INTERNAL_SRC_FILE,
              message:
                "nodes/ and credentials/ import src/ through a module's index.ts (src/<module>, src/transport/smpp, src/transport/modem): export what you need there",
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['n8n-workflow', 'n8n-workflow/*', 'n8n-core', 'n8n-core/*'],
              message: 'src/ is the n8n-independent core: n8n types belong in nodes/ or credentials/',
            },
          ],
        },
      ],
    },
  },
];
