import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { requestAttributes } from '../auth/request-attributes.js';
import type { JsonObject } from '../json.js';
import { Storage } from '../storage.js';
import { PRIORITY_LEVELS } from './bootstrap-configuration.js';
import configuration from './bootstrap-configuration.json' with { type: 'json' };
import type { Classification } from './classify.js';
import { PrioritySeats } from './seats.js';

/** A response that records what was answered and can be ended by the test. */
class FakeResponse extends EventEmitter {
  status = 0;
  body = '';
  readonly headers: Record<string, string> = {};
  headersSent = false;
  destroyed = false;
  setHeader(k: string, v: string) {
    this.headers[k] = v;
  }
  writeHead(code: number) {
    this.status = code;
    this.headersSent = true;
  }
  end(body = '') {
    this.body += body;
    this.emit('close');
  }
}

/** Seats of `storage`, every resource it holds served (as built-in), counted every minute. */
function seatsOf(storage: Storage): PrioritySeats {
  return new PrioritySeats(
    storage,
    () => storage.resources(),
    { pollSeconds: 60, staleSeconds: 180 },
    () => true,
  );
}

function storageWith(extra: JsonObject[]): Storage {
  const storage = new Storage(100);
  const levels = [
    ...(configuration.priorityLevelConfigurations as unknown as JsonObject[]),
    ...extra,
  ];
  for (const o of levels) {
    storage.commit(PRIORITY_LEVELS, String((o.metadata as JsonObject).name), '', o);
  }
  return storage;
}

/** A level of one share that lends and borrows nothing. */
const tiny = (name: string, limitResponse: JsonObject): JsonObject => ({
  metadata: { name },
  spec: {
    type: 'Limited',
    limited: {
      nominalConcurrencyShares: 1,
      lendablePercent: 0,
      borrowingLimitPercent: 0,
      limitResponse,
    },
  },
});

/** Dispatches `method url` (by default a GET of one ConfigMap: one seat) classified as `c`. */
function run(
  seats: PrioritySeats,
  c: Classification,
  method = 'GET',
  path = '/api/v1/namespaces/ns/configmaps/x',
) {
  const res = new FakeResponse();
  let started = false;
  const url = new URL(path, 'http://localhost');
  const request = {
    classification: c,
    userName: 'alice',
    attrs: requestAttributes(method, url),
    path: url.pathname,
    query: url.searchParams,
    refused: () => {},
  };
  seats.dispatch(request, res as unknown as ServerResponse, () => {
    started = true;
  });
  return { res, started: () => started };
}

describe('PrioritySeats', () => {
  it('gives a level ceil(600 × shares / all shares) seats and refuses the next with 429 (Reject)', () => {
    const level = tiny('t', { type: 'Reject' });
    const seats = seatsOf(storageWith([level]));
    const c: Classification = { level, flowSchema: 'fs', distinguisher: 'u', headers: {} };
    // 245 shares in the bootstrap levels, 1 here: ceil(600 / 246) = 3.
    const held = [run(seats, c), run(seats, c), run(seats, c)];
    expect(held.every((h) => h.started())).toBe(true);
    const refused = run(seats, c);
    expect(refused.started()).toBe(false);
    expect(refused.res.status).toBe(429);
    expect(refused.res.body).toBe('Too many requests, please try again later.\n');
    expect(refused.res.headers['Retry-After']).toBe('1');
    // A response that ends frees its seat.
    held[0]!.res.end();
    expect(run(seats, c).started()).toBe(true);
    seats.stop();
  });

  it('serves a request of a level deleted since it was used without limits', () => {
    const level = tiny('gone', { type: 'Reject' });
    const storage = storageWith([level]);
    const seats = seatsOf(storage);
    const c: Classification = { level, flowSchema: 'fs', distinguisher: 'u', headers: {} };
    run(seats, c).res.end();
    // The limits are read again (an adjustment follows, which must not read them again).
    seats.observe(storage.commit(PRIORITY_LEVELS, 'gone', '', null, level));
    const after = [run(seats, c), run(seats, c), run(seats, c), run(seats, c)];
    expect(after.every((r) => r.started())).toBe(true);
    seats.stop();
  });

  it('queues in the flow’s hand and starts the waiting request when a seat frees (Queue)', () => {
    const level = tiny('q', {
      type: 'Queue',
      queuing: { queues: 1, handSize: 1, queueLengthLimit: 1 },
    });
    const seats = seatsOf(storageWith([level]));
    const c: Classification = { level, flowSchema: 'fs', distinguisher: 'u', headers: {} };
    const held = [run(seats, c), run(seats, c), run(seats, c)];
    const waiting = run(seats, c);
    expect(waiting.started()).toBe(false);
    expect(waiting.res.status).toBe(0);
    expect(run(seats, c).res.status).toBe(429);
    held[1]!.res.end();
    expect(waiting.started()).toBe(true);
    seats.stop();
  });

  it('never limits an Exempt level', () => {
    const storage = storageWith([]);
    const exempt = storage.get(PRIORITY_LEVELS, 'exempt')!;
    const seats = seatsOf(storage);
    const c: Classification = {
      level: exempt,
      flowSchema: 'exempt',
      distinguisher: '',
      headers: {},
    };
    const all = Array.from({ length: 700 }, () => run(seats, c));
    expect(all.every((r) => r.started())).toBe(true);
    seats.stop();
  });

  it('serves one request at a time on a level that keeps no seat', () => {
    const level: JsonObject = {
      metadata: { name: 'l' },
      spec: {
        type: 'Limited',
        limited: {
          nominalConcurrencyShares: 1,
          lendablePercent: 100,
          borrowingLimitPercent: 0,
          limitResponse: { type: 'Reject' },
        },
      },
    };
    const seats = seatsOf(storageWith([level]));
    const c: Classification = { level, flowSchema: 'fs', distinguisher: 'u', headers: {} };
    const first = run(seats, c);
    expect(first.started()).toBe(true);
    expect(run(seats, c).res.status).toBe(429);
    first.res.end();
    expect(run(seats, c).started()).toBe(true);
    seats.stop();
  });

  it('lets a level that may borrow use the seats idle levels lend', () => {
    const level: JsonObject = {
      metadata: { name: 'b' },
      spec: {
        type: 'Limited',
        limited: { nominalConcurrencyShares: 1, limitResponse: { type: 'Reject' } },
      },
    };
    const seats = seatsOf(storageWith([level]));
    const c: Classification = { level, flowSchema: 'fs', distinguisher: 'u', headers: {} };
    // Nominal 3; the 604 nominal seats divided by the idle levels' 261 lower bounds give
    // each about 2.31 times its own: round(3 × 604 / 261) = 7.
    const answers = Array.from({ length: 8 }, () => run(seats, c));
    expect(answers.filter((a) => a.started())).toHaveLength(7);
    expect(answers[7]!.res.status).toBe(429);
    seats.stop();
  });

  it('takes a LIST’s seats from the objects counted when the server started', () => {
    const level = tiny('w', { type: 'Reject' });
    const storage = storageWith([level]);
    // Five ConfigMaps of about 45 kB: a LIST of them all loads about 230 kB, 3 seats.
    for (let i = 0; i < 5; i++) {
      const name = `big-${i}`;
      const cm = { metadata: { name, namespace: 'ns' }, data: { x: 'x'.repeat(45_000) } };
      storage.commit('configmaps', `ns/${name}`, 'ns', cm);
    }
    const seats = seatsOf(storage);
    const c: Classification = { level, flowSchema: 'fs', distinguisher: 'u', headers: {} };
    const list = '/api/v1/namespaces/ns/configmaps';
    /** Whether `path` is served, ending its response at once. */
    const served = (path: string) => {
      const r = run(seats, c, 'GET', path);
      r.res.end();
      return r.started();
    };
    const held = run(seats, c);
    expect(held.started()).toBe(true);
    // Two seats are free: three are too few, two (a limit of 4) and one (a name) are not.
    expect(served(list)).toBe(false);
    expect(served(`${list}?limit=4`)).toBe(true);
    expect(served(`${list}?fieldSelector=metadata.name%3Dbig-0`)).toBe(true);
    // A watch from now on is one seat; one that lists first is a LIST's.
    expect(served(`${list}?watch=1&resourceVersion=5`)).toBe(true);
    expect(served(`${list}?watch=1`)).toBe(false);
    // A limit that is no integer costs the most seats.
    expect(served(`${list}?limit=x`)).toBe(false);
    held.res.end();
    // More seats than the level has: served when nothing of the level runs.
    expect(run(seats, c, 'GET', list).started()).toBe(true);
    seats.stop();
  });

  it('gives a write final seats by the watches interested in it', () => {
    const level = tiny('m', { type: 'Reject' });
    const storage = storageWith([level]);
    const seats = seatsOf(storage);
    const c: Classification = { level, flowSchema: 'fs', distinguisher: 'u', headers: {} };
    const exempt: Classification = {
      level: storage.get(PRIORITY_LEVELS, 'exempt')!,
      flowSchema: 'exempt',
      distinguisher: '',
      headers: {},
    };
    const cms = '/api/v1/namespaces/ns/configmaps';
    const held = run(seats, c);
    expect(run(seats, c, 'POST', cms).started()).toBe(true);
    // 25 watches of ConfigMaps: a create of one holds ceil(25 / 10) = 3 seats, more than
    // the two free.
    const watches = Array.from({ length: 25 }, () => run(seats, exempt, 'GET', `${cms}?watch=1`));
    expect(run(seats, c, 'POST', cms).res.status).toBe(429);
    // A watch of another namespace is not interested; of this one, it is.
    for (const w of watches) w.res.end();
    const other = Array.from({ length: 25 }, () =>
      run(seats, exempt, 'GET', '/api/v1/namespaces/other/configmaps?watch=1'),
    );
    expect(run(seats, c, 'POST', cms).started()).toBe(true);
    for (const w of other) w.res.end();
    held.res.end();
    seats.stop();
  });
});
