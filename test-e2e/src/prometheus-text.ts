/**
 * Reading kube-apiserver's `/metrics` (Prometheus text) in e2e tests: one sample by its
 * exact labels, or every series of a metric by its labels.
 */
import type { KubeConfig } from '@kubernetes/client-node/dist/config.js';
import { expect } from 'vitest';
import { raw } from './raw-http.js';

/** The metrics text of the server (as the admin of `kc`), checked for its content type. */
export async function scrapeMetrics(kc: KubeConfig): Promise<string> {
  const res = await raw(kc, 'GET', '/metrics', { accept: 'text/plain' });
  expect(res.status, res.text).toBe(200);
  expect(res.headers['content-type']).toBe(
    'text/plain; version=0.0.4; charset=utf-8; escaping=underscores',
  );
  return res.text;
}

/** Labels as the text format writes them: by name, `name="value"`, joined by commas. */
function labelText(labels: Readonly<Record<string, string>>): string {
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}="${labels[k]}"`)
    .join(',');
}

/** The value of the sample of `metric` with exactly `labels` in `text`, if any. */
export function metricSample(
  text: string,
  metric: string,
  labels: Readonly<Record<string, string>>,
): number | undefined {
  const prefix = `${metric}{${labelText(labels)}} `;
  const line = text.split('\n').find((l) => l.startsWith(prefix));
  return line === undefined ? undefined : Number(line.slice(prefix.length));
}

/** Every series of `metric` in `text`: its labels and value. */
export function metricSeries(
  text: string,
  metric: string,
): { labels: Record<string, string>; value: number }[] {
  const series: { labels: Record<string, string>; value: number }[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${metric}{`)) continue;
    const end = line.lastIndexOf('} ');
    const labels: Record<string, string> = {};
    for (const m of line.slice(metric.length + 1, end).matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) {
      labels[m[1]!] = m[2]!;
    }
    series.push({ labels, value: Number(line.slice(end + 2)) });
  }
  return series;
}
