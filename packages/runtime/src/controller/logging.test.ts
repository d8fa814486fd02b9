import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { Action } from './action.js';
import { capturingLogger } from './capturing-logger.test-helper.js';
import { describeError, logReconcile } from './logging.js';

describe('logReconcile', () => {
  it('logs a success at debug with the object, the reason, the duration and the next step', () => {
    const { logger, lines } = capturingLogger();
    logReconcile(logger, {
      object: 'ns/a',
      reason: {
        type: 'relatedObjectUpdated',
        related: { kind: 'ConfigMap', namespace: 'ns', name: 'c' },
      },
      durationMs: 12,
      ok: true,
      action: Action.requeue(1000),
    });
    expect(lines).toEqual([
      expect.objectContaining({
        level: 20,
        msg: 'reconciled',
        object: 'ns/a',
        reason: 'related object updated (ConfigMap/ns/c)',
        durationMs: 12,
        next: 'requeue after 1000ms',
      }),
    ]);
  });

  it('logs a failure at warn with the error description', () => {
    const { logger, lines } = capturingLogger();
    logReconcile(logger, {
      object: 'ns/a',
      reason: { type: 'errorBackoff', afterMs: 500 },
      durationMs: 3,
      ok: false,
      action: Action.requeue(1000),
      error: new Error('boom'),
    });
    expect(lines[0]).toMatchObject({
      level: 40,
      msg: 'reconcile failed',
      reason: 'error backoff (500ms)',
      error: 'Error: boom',
    });
  });

  it('stays silent at info for successes', () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
    logReconcile(logger, {
      object: 'ns/a',
      reason: { type: 'objectUpdated' },
      durationMs: 1,
      ok: true,
      action: Action.awaitChange(),
    });
    expect(lines).toEqual([]);
  });
});

describe('describeError', () => {
  it('does not repeat a cause that the message already contains', () => {
    const cause = new Error('GET /x failed: the watch connection broke: aborted');
    const error = new Error(`the watch failed, reconnecting: ${cause.message}`, { cause });
    expect(describeError(error)).toBe(
      'Error: the watch failed, reconnecting: GET /x failed: the watch connection broke: aborted',
    );
  });

  it('describes errors by name, message and cause', () => {
    expect(describeError(new TypeError('bad', { cause: new Error('root') }))).toBe(
      'TypeError: bad (cause: root)',
    );
  });

  it('never serializes a thrown object (it could hold Secret data)', () => {
    const secret = { data: { password: 'aHVudGVyMg==' } };
    const text = describeError(secret);
    expect(text).toBe('thrown object (not an Error)');
    expect(text).not.toContain('aHVudGVyMg');
  });

  it('logs a thrown string by type and length only (it could hold a token)', () => {
    const text = describeError('token=eyJhbGciOi.secret');
    expect(text).toBe('thrown string (not an Error, 23 characters)');
    expect(text).not.toContain('eyJ');
  });

  it('never reads the other properties of an Error, and cuts long messages', () => {
    const error = Object.assign(new Error('boom'), { secret: { data: { key: 'c2VjcmV0' } } });
    expect(describeError(error)).toBe('Error: boom');
    expect(describeError(new Error('x'.repeat(5000)))).toHaveLength('Error: '.length + 1000);
  });

  it('never throws, even for an error whose message getter does', () => {
    const hostile = new Error('x');
    Object.defineProperty(hostile, 'message', {
      get() {
        throw new Error('no');
      },
    });
    expect(describeError(hostile)).toBe('thrown Error (its name or message could not be read)');
  });

  it('names null/undefined and other types', () => {
    expect(describeError(undefined)).toBe('thrown undefined');
    expect(describeError(null)).toBe('thrown null');
    expect(describeError(42)).toBe('thrown number (not an Error)');
  });
});
