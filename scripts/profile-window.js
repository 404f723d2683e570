// Self time per row over one broadcast in a V8 .cpuprofile (the n8n process's or a core run's),
// and what ended each idle stretch of the main thread: an SMSC answer (onStreamRead), a file
// read, a promise job... The window is the longest run of samples inside the broadcast's own
// functions with no gap over 1 s: the big broadcast, not a warm-up before it.
// Usage: node scripts/profile-window.js <file.cpuprofile> <rows> [top]
const fs = require('fs');

const prof = JSON.parse(fs.readFileSync(process.argv[2]));
const rows = Number(process.argv[3] || 1);
const top = Number(process.argv[4] || 30);
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of prof.nodes) for (const c of n.children || []) parent.set(c, n.id);
const stackOf = (id) => {
  const names = [];
  for (let at = id; at !== undefined; at = parent.get(at)) names.push(byId.get(at).callFrame.functionName || '(anon)');
  return names;
};
const BROADCAST = /validateBatch|csvNumberBatches|sendJournaled|outcomeOf/;
const inBroadcast = new Map();
const marked = (id) => {
  if (!inBroadcast.has(id))
    inBroadcast.set(
      id,
      stackOf(id).some((name) => BROADCAST.test(name)),
    );
  return inBroadcast.get(id);
};
const times = [];
let clock = prof.startTime;
prof.samples.forEach((_, i) => times.push((clock += prof.timeDeltas[i])));

let first = -1;
let last = -1;
let runStart = -1;
let runEnd = -1;
prof.samples.forEach((id, i) => {
  if (!marked(id)) return;
  if (runEnd >= 0 && times[i] - times[runEnd] < 1e6) runEnd = i;
  else runStart = runEnd = i;
  if (first < 0 || times[runEnd] - times[runStart] > times[last] - times[first]) [first, last] = [runStart, runEnd];
});
if (first < 0) throw new Error('no broadcast in this profile');

const self = new Map();
const wakers = new Map();
let total = 0;
let idle = 0;
let idling = false;
for (let i = first + 1; i <= last; i++) {
  const dt = times[i] - times[i - 1];
  const frame = byId.get(prof.samples[i]).callFrame;
  const key = `${frame.functionName || '(anon)'} ${frame.url.split('/').slice(-2).join('/')}:${frame.lineNumber}`;
  self.set(key, (self.get(key) || 0) + dt);
  total += dt;
  if (frame.functionName === '(idle)') {
    idle += dt;
    idling = true;
  } else if (idling) {
    idling = false;
    const waker = stackOf(prof.samples[i])
      .reverse()
      .filter((name) => name !== '(root)')
      .slice(0, 3)
      .join(' > ');
    wakers.set(waker, (wakers.get(waker) || 0) + 1);
  }
}
const perRow = (us) => (us / rows).toFixed(3).padStart(8);
console.log(`broadcast ${(total / 1e6).toFixed(2)} s; µs per row: all ${perRow(total)}, busy ${perRow(total - idle)}, idle ${perRow(idle)}`);
for (const [key, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${perRow(us)}  ${key}`);
console.log('idle stretches ended by (count):');
for (const [key, count] of [...wakers].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`${String(count).padStart(8)}  ${key}`);
