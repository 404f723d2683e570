'use strict';
// Writes the numbers of bench/results.json and bench/faults.json into bench/README.md, between
// the <!-- results:NAME --> markers, so the README always shows the last measured run.
const fs = require('fs');
const path = require('path');

const dir = path.resolve(__dirname, '..', 'bench');
const read = (f) => (fs.existsSync(path.join(dir, f)) ? JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) : []);
const fmt = (n) => (n === null || n === undefined ? '-' : Math.abs(n) >= 100 ? Math.round(n).toLocaleString('en-US') : String(Math.round(n * 1000) / 1000));

function table(rows) {
  if (rows.length === 0) return '(not measured in the last run)';
  const lines = ['| benchmark | ours | baseline | ratio | baseline is | target |', '| --- | --- | --- | --- | --- | --- |'];
  for (const r of rows)
    lines.push(
      `| ${r.name} | ${fmt(r.ours)} ${r.unit} | ${r.baseline === null ? '-' : `${fmt(r.baseline)} ${r.unit}`} | ${r.ratio === null ? '-' : r.ratio.toFixed(3)} | ${r.baselineIs ?? ''} | ${r.target ?? ''} |`,
    );
  return lines.join('\n');
}

function faultTable(rows) {
  if (rows.length === 0) return '(not measured in the last run)';
  const lines = [
    '| scenario | delivered unique | lost | duplicates seen | duplicates reported | failed | seconds | msg/s | rate vs A | time vs A | re-run sends |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of rows)
    lines.push(
      `| ${r.scenario}: ${r.title} | ${r.deliveredUnique} | ${r.lost} | ${r.duplicatesSeen} | ${r.duplicatesReported} | ${r.failed} | ${r.seconds} | ${r.ratePerSecond} | ${r.rateRatioToA} | ${r.timeRatioToA} | ${r.rerunSent ?? '-'} |`,
    );
  return lines.join('\n');
}

const results = read('results.json');
const sections = {
  transport: table(results.filter((r) => r.name.startsWith('transport') || r.name.startsWith('raw smpp'))),
  sink: table(results.filter((r) => r.name.startsWith('smpp sink'))),
  binds: table(results.filter((r) => r.name.startsWith('binds'))),
  metrics: table(results.filter((r) => r.name.startsWith('metrics'))),
  tps: table(results.filter((r) => r.name.startsWith('shared TPS'))),
  broadcast: table(results.filter((r) => r.name.startsWith('broadcast') || r.name.startsWith('n8n'))),
  otp: table(results.filter((r) => r.name.startsWith('OTP'))),
  faults: faultTable(read('faults.json')),
};
const readmePath = path.join(dir, 'README.md');
let readme = fs.readFileSync(readmePath, 'utf8');
for (const [name, body] of Object.entries(sections)) {
  const re = new RegExp(`(<!-- results:${name} -->)[\\s\\S]*?(<!-- /results:${name} -->)`);
  readme = readme.replace(re, `$1\n${body}\n$2`);
}
fs.writeFileSync(readmePath, readme);
console.log(`bench tables written to ${readmePath}`);
