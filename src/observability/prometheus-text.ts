/** The Prometheus text exposition format (0.0.4) of our families, for the fallback listener and tests. */
import type { MetricFamily, Sample } from './metric-families';

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function number(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

export function sampleLine(name: string, sample: Sample): string {
  const labels = Object.entries(sample.labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
  return `${name}${sample.suffix ?? ''}${labels.length ? `{${labels.join(',')}}` : ''} ${number(sample.value)}`;
}

export function prometheusText(families: readonly MetricFamily[]): string {
  const blocks = families.map((family) =>
    [
      `# HELP ${family.name} ${family.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`,
      `# TYPE ${family.name} ${family.type}`,
      ...family.samples().map((sample) => sampleLine(family.name, sample)),
    ].join('\n'),
  );
  return `${blocks.join('\n\n')}\n`;
}
