import { describe, expect, test } from 'vitest';
import { eventRules, eventsView } from './event.js';

describe('events view', () => {
  test('renames events.k8s.io fields to the core fields they are stored as, and back', () => {
    const ev = {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name: 'e' },
      regarding: { kind: 'Pod', name: 'p' },
      note: 'n',
      reportingController: 'c',
      reportingInstance: 'i',
      eventTime: '2026-01-01T00:00:00.000001Z',
    };
    const stored = eventsView.toStored(ev);
    expect(stored).toEqual({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'e' },
      involvedObject: { kind: 'Pod', name: 'p' },
      message: 'n',
      reportingComponent: 'c',
      reportingInstance: 'i',
      eventTime: '2026-01-01T00:00:00.000001Z',
    });
    expect(eventsView.fromStored(stored)).toEqual({
      ...ev,
      deprecatedSource: {},
      deprecatedFirstTimestamp: null,
      deprecatedLastTimestamp: null,
    });
  });

  test('a core Event carries the zero values of its Go struct', () => {
    const core = { metadata: { name: 'e' }, involvedObject: { name: 'p' }, message: 'm' };
    eventRules.defaults!(core, true);
    expect(core).toEqual({
      metadata: { name: 'e' },
      involvedObject: { name: 'p' },
      message: 'm',
      source: {},
      firstTimestamp: null,
      lastTimestamp: null,
      eventTime: null,
      reportingComponent: '',
      reportingInstance: '',
    });
    expect(eventsView.fromStored(core as never)).not.toHaveProperty('reportingController');
  });
});
