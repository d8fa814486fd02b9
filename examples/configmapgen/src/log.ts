/** The operator's logger: pino, printed as short readable lines unless LOG_FORMAT=json. */
import { type Logger, pino } from 'pino';

const LEVELS: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO ',
  40: 'WARN ',
  50: 'ERROR',
  60: 'FATAL',
};

/** Fields that the line already shows (or that only add noise for a human). */
const HIDDEN = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'controller', 'component']);

/**
 * Turns one pino JSON line into `12:00:01.234 INFO  [ConfigMapGenerator] message key=value`.
 * Lines that are not JSON are passed through unchanged.
 */
export function formatLine(line: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const time = new Date(typeof record.time === 'number' ? record.time : Date.now());
  const clock = time.toISOString().slice(11, 23);
  const level = LEVELS[Number(record.level)] ?? String(record.level);
  const scope = record.controller ?? record.component;
  const fields = Object.entries(record)
    .filter(([key]) => !HIDDEN.has(key))
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' ');
  return `${clock} ${level} ${scope ? `[${String(scope)}] ` : ''}${String(record.msg ?? '')}${fields ? `  ${fields}` : ''}\n`;
}

/**
 * The logger: level from `LOG_LEVEL` (default `info`); readable lines on stdout, or raw
 * pino JSON with `LOG_FORMAT=json` (for log collectors).
 */
export function createLogger(): Logger {
  const level = process.env.LOG_LEVEL ?? 'info';
  if (process.env.LOG_FORMAT === 'json') return pino({ level });
  return pino(
    { level },
    {
      write(line: string) {
        process.stdout.write(formatLine(line));
      },
    },
  );
}
