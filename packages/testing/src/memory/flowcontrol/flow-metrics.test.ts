import { describe, expect, it } from 'vitest';
import { exposition } from '../metrics/exposition.js';
import { flowControlFamilies } from './flow-metrics.js';
import { FlowStats } from './flow-stats.js';

describe('flowControlFamilies', () => {
  it('writes families by name, series by label values, labels by name', () => {
    const stats = new FlowStats();
    stats.dispatch('b', 'fs');
    stats.dispatch('a', 'fs');
    stats.reject('a', 'fs', 'queue-full');
    const text = exposition(
      flowControlFamilies(
        [{ name: 'a', nominal: 3, lower: 2, upper: 1_000_000, current: 3 }],
        stats,
      ),
    );
    const lines = text.split('\n');
    expect(lines.filter((l) => l.startsWith('# TYPE')).map((l) => l.split(' ')[2])).toEqual([
      'apiserver_flowcontrol_current_executing_requests',
      'apiserver_flowcontrol_current_executing_seats',
      'apiserver_flowcontrol_current_limit_seats',
      'apiserver_flowcontrol_dispatched_requests_total',
      'apiserver_flowcontrol_lower_limit_seats',
      'apiserver_flowcontrol_nominal_limit_seats',
      'apiserver_flowcontrol_rejected_requests_total',
      'apiserver_flowcontrol_upper_limit_seats',
    ]);
    expect(lines).toContain(
      'apiserver_flowcontrol_rejected_requests_total{flow_schema="fs",priority_level="a",reason="queue-full"} 1',
    );
    expect(lines).toContain('apiserver_flowcontrol_upper_limit_seats{priority_level="a"} 1e+06');
    expect(lines).toContain(
      '# HELP apiserver_flowcontrol_nominal_limit_seats [BETA] Nominal number of execution seats configured for each priority level',
    );
    const dispatched = lines.filter((l) => l.startsWith('apiserver_flowcontrol_dispatched'));
    expect(dispatched).toEqual([
      'apiserver_flowcontrol_dispatched_requests_total{flow_schema="fs",priority_level="a"} 1',
      'apiserver_flowcontrol_dispatched_requests_total{flow_schema="fs",priority_level="b"} 1',
    ]);
  });
});
