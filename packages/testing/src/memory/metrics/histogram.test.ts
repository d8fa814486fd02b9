import { describe, expect, it } from 'vitest';
import { exposition } from './exposition.js';
import { Histogram } from './histogram.js';

describe('Histogram', () => {
  it('writes cumulative buckets with le last, +Inf, the sum and the count, as client_golang', () => {
    const h = new Histogram('x_seconds', '[STABLE] Help.', [0.005, 1.25, 60]);
    h.observe({ verb: 'GET', component: '' }, 0.001);
    h.observe({ verb: 'GET', component: '' }, 0.5);
    h.observe({ verb: 'GET', component: '' }, 61);
    expect(exposition([h.family()])).toBe(
      [
        '# HELP x_seconds [STABLE] Help.',
        '# TYPE x_seconds histogram',
        'x_seconds_bucket{component="",verb="GET",le="0.005"} 1',
        'x_seconds_bucket{component="",verb="GET",le="1.25"} 2',
        'x_seconds_bucket{component="",verb="GET",le="60"} 2',
        'x_seconds_bucket{component="",verb="GET",le="+Inf"} 3',
        'x_seconds_sum{component="",verb="GET"} 61.501',
        'x_seconds_count{component="",verb="GET"} 3',
        '',
      ].join('\n'),
    );
  });

  it('leaves out a family without series', () => {
    expect(exposition([new Histogram('x_seconds', 'Help.', [1]).family()])).toBe('');
  });
});
