import { describe, expect, it } from 'vitest';
import { Counter, Gauge, Histogram, MetricsRegistry } from './metrics-registry.js';

describe('MetricsRegistry', () => {
  it('renders counters, gauges and histograms in the Prometheus text format', () => {
    const registry = new MetricsRegistry();
    const c = registry.add(new Counter('x_total', 'Things.'));
    const g = registry.add(new Gauge('y', 'Level.'));
    const h = registry.add(new Histogram('z_seconds', 'Time.', [0.5, 0.1]));
    c.inc({ a: '1' });
    c.inc({ a: '1' }, 2);
    g.track({ name: 'q' }, () => 7);
    h.observe({ c: 'k' }, 0.05);
    h.observe({ c: 'k' }, 0.3);
    h.observe({ c: 'k' }, 2);
    expect(registry.render()).toBe(
      [
        '# HELP x_total Things.',
        '# TYPE x_total counter',
        'x_total{a="1"} 3',
        '# HELP y Level.',
        '# TYPE y gauge',
        'y{name="q"} 7',
        '# HELP z_seconds Time.',
        '# TYPE z_seconds histogram',
        'z_seconds_bucket{c="k",le="0.1"} 1',
        'z_seconds_bucket{c="k",le="0.5"} 2',
        'z_seconds_bucket{c="k",le="+Inf"} 3',
        'z_seconds_sum{c="k"} 2.35',
        'z_seconds_count{c="k"} 3',
        '',
      ].join('\n'),
    );
  });

  it('escapes label values and keys series by label set regardless of order', () => {
    const registry = new MetricsRegistry();
    const c = registry.add(new Counter('x_total', 'h'));
    c.inc({ a: 'q"\\\n', b: '2' });
    c.inc({ b: '2', a: 'q"\\\n' });
    expect(registry.render()).toContain('x_total{a="q\\"\\\\\\n",b="2"} 2');
    expect(c.get({ b: '2', a: 'q"\\\n' })).toBe(2);
  });

  it('rejects duplicate names, invalid names and decreasing counters', () => {
    const registry = new MetricsRegistry();
    registry.add(new Gauge('g', 'h'));
    expect(() => registry.add(new Gauge('g', 'h'))).toThrow(/already registered/);
    expect(() => new Counter('bad-name', 'h')).toThrow(/invalid Prometheus metric name/);
    expect(() => new Counter('c', 'h').inc({}, -1)).toThrow(/only increases/);
  });

  it('gauges can be set directly', () => {
    const g = new Gauge('g', 'h');
    g.set({ name: 'a' }, 1);
    g.set({ name: 'a' }, 0);
    expect(g.get({ name: 'a' })).toBe(0);
    expect(g.render()).toContain('g{name="a"} 0');
  });
});
