/**
 * Per-request log keys (request id, connection id), kept in an AsyncLocalStorage context that
 * wraps each invocation. The logger is process-wide; keys appended to it directly would leak
 * between requests that overlap in one process (the local server serves many at once; on Lambda
 * a process serves one at a time, where this costs nothing).
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export type LogContext = Record<string, string>;

const storage = new AsyncLocalStorage<LogContext>();

export function runWithLogContext<T>(fn: () => T): T {
  return storage.run({}, fn);
}

/** Adds keys to the current request's log lines; outside a request it does nothing. */
export function setLogContext(keys: LogContext): void {
  const context = storage.getStore();
  if (context) Object.assign(context, keys);
}

export function logContext(): LogContext {
  return storage.getStore() ?? {};
}
