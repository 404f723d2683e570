// The progress panel (rate, totals, sparkline) and the fault switches.
import { $, api, formatCount, showMessage } from './dom.js';

const SPARK_POINTS = 60;
const rates = [];

/** The last minute of accepted/s; seconds before the page opened count as 0 so the line spans the box. */
function drawSparkline() {
  const series = [...new Array(SPARK_POINTS - rates.length).fill(0), ...rates];
  const max = Math.max(1, ...series);
  const step = 240 / (SPARK_POINTS - 1);
  const points = series.map((r, i) => `${(i * step).toFixed(1)},${(54 - (r / max) * 50).toFixed(1)}`);
  $('sparkline-line').setAttribute('points', points.join(' '));
  $('sparkline-area').setAttribute('points', ['0,56', ...points, '240,56'].join(' '));
}

/** Shows the sandbox's faults, leaving alone a control the user is working with. */
export function applyFaults(f) {
  const set = (input, value, output, label) => {
    if (document.activeElement === input || input.dataset.busy) return;
    if (input.type === 'checkbox') input.checked = value;
    else input.value = String(value);
    if (output) output.textContent = label;
  };
  const throttle = Math.round(f.throttleRatio * 100);
  const fail = Math.round(f.failRatio * 100);
  set($('throttle'), throttle, $('throttle-value'), `${throttle}%`);
  set($('fail'), fail, $('fail-value'), `${fail}%`);
  set($('latency'), f.latencyMs);
  set($('stall'), f.stalled);
}

/** One stats tick: messages/s now, totals, binds, and the current faults. */
export function applyStats(s) {
  rates.push(s.acceptedPerSecond || 0);
  if (rates.length > SPARK_POINTS) rates.shift();
  $('rate').textContent = formatCount(Math.round(s.acceptedPerSecond || 0));
  $('rate-peak').textContent = `peak ${formatCount(Math.round(Math.max(...rates)))}/s`;
  $('accepted').textContent = formatCount(s.accepted);
  $('failed').textContent = formatCount(s.failed);
  $('throttled').textContent = formatCount(s.throttled);
  $('receipts').textContent = formatCount(s.stats ? s.stats.receiptsSent : 0);
  $('sessions').textContent = `${s.sessionCount} SMPP bind${s.sessionCount === 1 ? '' : 's'}`;
  drawSparkline();
  if (s.faults) applyFaults(s.faults);
}

export function showDropped(dropped) {
  showMessage($('fault-message'), `Dropped ${dropped} connection${dropped === 1 ? '' : 's'}.`);
}

async function setFaults(input, change, describe) {
  const message = $('fault-message');
  input.dataset.busy = '1';
  try {
    const { faults } = await api('POST', 'api/faults', change);
    delete input.dataset.busy;
    applyFaults(faults);
    showMessage(message, describe(faults));
  } catch (err) {
    delete input.dataset.busy;
    showMessage(message, err.message, true);
  }
}

function percentSlider(id, field, describe) {
  const input = $(id);
  input.addEventListener('input', () => {
    $(`${id}-value`).textContent = `${input.value}%`;
  });
  input.addEventListener('change', () => setFaults(input, { [field]: Number(input.value) / 100 }, describe));
}

export function wireFaultControls() {
  percentSlider('throttle', 'throttleRatio', (f) => `${Math.round(f.throttleRatio * 100)}% of submits now get ESME_RTHROTTLED.`);
  percentSlider('fail', 'failRatio', (f) => `${Math.round(f.failRatio * 100)}% of submits now fail with status 0x${f.failStatus.toString(16)}.`);
  const latency = $('latency');
  latency.addEventListener('change', () => setFaults(latency, { latencyMs: Number(latency.value) }, (f) => `Answers now take ${f.latencyMs} ms.`));
  const stall = $('stall');
  stall.addEventListener('change', () =>
    setFaults(stall, { stalled: stall.checked }, (f) => (f.stalled ? 'Stalled: the sandbox holds every answer.' : 'Stall ended: held answers went out.')),
  );
  $('drop').addEventListener('click', async () => {
    try {
      showDropped((await api('POST', 'api/drop')).dropped);
    } catch (err) {
      showMessage($('fault-message'), err.message, true);
    }
  });
}
