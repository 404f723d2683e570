// Summarises a sampling heap profile (.heapprofile, HeapProfiler.stopSampling): bytes allocated
// per function (self), largest first. Usage: node scripts/heap-summary.js <file> [rows] [messages]
const fs = require('fs');
const { head } = JSON.parse(fs.readFileSync(process.argv[2]));
const self = new Map();
let total = 0;
const walk = (n) => {
  const f = n.callFrame;
  const key = `${f.functionName || '(anon)'} ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber}`;
  self.set(key, (self.get(key) || 0) + n.selfSize);
  total += n.selfSize;
  n.children.forEach(walk);
};
walk(head);
const messages = Number(process.argv[4] || 0);
console.log(`sampled ${(total / 1e6).toFixed(1)} MB${messages ? `, ${Math.round(total / messages)} bytes per message` : ''}`);
for (const [k, b] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(process.argv[3] || 25))) {
  console.log(`${((b / total) * 100).toFixed(1).padStart(5)}%  ${messages ? String(Math.round(b / messages)).padStart(5) + ' B/msg  ' : ''}${k}`);
}
