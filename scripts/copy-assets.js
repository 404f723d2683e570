'use strict';
// Copies what tsc does not: node icons and codex files, and static files served by the sandbox.
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const patterns = [
  { dir: 'nodes', test: (f) => /\.(svg|png|json)$/.test(f) },
  { dir: 'credentials', test: (f) => /\.(svg|png)$/.test(f) },
  { dir: 'src', test: (f, rel) => rel.split(path.sep).includes('static') },
];

function walk(dir, visit) {
  if (!fs.existsSync(dir)) return;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, visit);
    else visit(full);
  }
}

let copied = 0;
for (const { dir, test } of patterns) {
  walk(path.join(root, dir), (file) => {
    const rel = path.relative(root, file);
    if (!test(path.basename(file), rel)) return;
    const target = path.join(root, 'dist', rel);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(file, target);
    copied++;
  });
}
if (process.env.VERBOSE) console.log(`copied ${copied} asset files to dist/`);
