// Summarises a V8 .cpuprofile: self time per function, as a share of all samples, and of the
// busy ones (idle left out: at 20 ms latency a client is mostly idle, and the busy share is what
// shows where its CPU goes).
// Usage: node scripts/profile-summary.js <file.cpuprofile> [rows]
const fs = require('fs');
const prof = JSON.parse(fs.readFileSync(process.argv[2]));
const self = new Map();
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const dt = new Map();
prof.samples.forEach((id, i) => dt.set(id, (dt.get(id) || 0) + (prof.timeDeltas[i] || 0)));
let total = 0;
let idle = 0;
for (const [id, t] of dt) {
  const n = byId.get(id);
  const f = n.callFrame;
  const key = `${f.functionName || '(anon)'} ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber}`;
  self.set(key, (self.get(key) || 0) + t);
  total += t;
  if (f.functionName === '(idle)') idle += t;
}
const busy = total - idle;
console.log(`samples over ${(total / 1000).toFixed(0)} ms, busy ${(busy / 1000).toFixed(0)} ms (${((busy / total) * 100).toFixed(1)}%)`);
console.log('  all%  busy%  function');
const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(process.argv[3] || 15));
for (const [k, t] of top) {
  const busyShare = k.startsWith('(idle)') ? '' : ((t / busy) * 100).toFixed(1);
  console.log(((t / total) * 100).toFixed(1).padStart(6) + busyShare.padStart(7) + '  ' + k);
}
