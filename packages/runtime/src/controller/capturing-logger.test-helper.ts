/** Test helper: a pino logger whose lines are kept, parsed, for assertions. */
import { type Level, pino } from 'pino';

/** A pino logger at `level` whose lines are parsed into `lines`. */
export function capturingLogger(level: Level = 'debug') {
  const lines: Record<string, unknown>[] = [];
  const logger = pino(
    { level },
    { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) },
  );
  return { lines, logger };
}
