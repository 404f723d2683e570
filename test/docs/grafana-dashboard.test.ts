/** docs/grafana-dashboard.json queries only metrics the gateway exposes (a renamed metric breaks it here, not in Grafana). */
import * as fs from 'fs';
import * as path from 'path';
import { metricFamilies } from '../../src/observability';

describe('docs/grafana-dashboard.json', () => {
  const dashboard = JSON.parse(fs.readFileSync(path.join(__dirname, '../../docs/grafana-dashboard.json'), 'utf8')) as {
    panels: Array<{ title: string; targets: Array<{ expr: string }> }>;
  };
  const names = new Set(metricFamilies().flatMap((f) => (f.type === 'histogram' ? [`${f.name}_bucket`, `${f.name}_sum`, `${f.name}_count`] : [f.name])));

  it('uses only metric names the gateway exposes, and covers throughput, latency, receipts, OTP and link state', () => {
    const used = dashboard.panels.flatMap((p) => p.targets.flatMap((t) => t.expr.match(/sms_gateway_\w+/g) ?? []));
    expect(used.filter((name) => !names.has(name))).toEqual([]);
    for (const needed of [
      'sms_gateway_smpp_bound',
      'sms_gateway_smpp_submits_total',
      'sms_gateway_smpp_submit_latency_seconds_bucket',
      'sms_gateway_receipts_total',
      'sms_gateway_otp_verifications_total',
    ]) {
      expect(used).toContain(needed);
    }
  });

  it('the README names every metric the gateway exposes', () => {
    const readme = fs.readFileSync(path.join(__dirname, '../../README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Operating the gateway'), readme.indexOf('## Benchmarks'));
    const missing = metricFamilies()
      .map((f) => f.name)
      .filter((name) => !section.includes(name) && !section.includes(name.replace(/^sms_gateway_smpp_(queued|window)$/, '_$1')));
    expect(missing).toEqual([]);
  });
});
