/**
 * Which failures are an outage of a service Roster depends on (DynamoDB, Secrets Manager), as
 * opposed to a bug: timeouts, refused or reset connections, the SDK giving up after its retries on
 * a 5xx, a transaction cancelled by contention that outlasted its retries. An outage answers 503
 * with Retry-After and a SCIM error body, so that the IdP retries later instead of quarantining
 * the endpoint; a bug stays a 500.
 */
import { ScimError } from '../scim/error';

/** Seconds an IdP is asked to wait during an outage: long enough for a failover, short for a blip. */
export const OUTAGE_RETRY_AFTER_SECONDS = 5;

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
]);
const OUTAGE_NAMES = new Set([
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'AbortError',
  'InternalServerError',
  'InternalServiceError',
  'InternalFailure',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'TransactionInProgressException',
]);
const CONTENTION_REASONS = new Set([
  'TransactionConflict',
  'ThrottlingError',
  'ProvisionedThroughputExceeded',
]);

export function isOutage(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (OUTAGE_NAMES.has(error.name)) return true;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
  const meta = error as { $fault?: unknown; $metadata?: { httpStatusCode?: number } };
  if (meta.$fault === 'server' || (meta.$metadata?.httpStatusCode ?? 0) >= 500) return true;
  if (error.name === 'TransactionCanceledException') {
    const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
    return (
      reasons.length > 0 && reasons.every((r) => r.Code === 'None' || CONTENTION_REASONS.has(r.Code ?? ''))
    );
  }
  return error.cause !== undefined && error.cause !== error && isOutage(error.cause);
}

export function serviceUnavailable(
  detail = 'A service Roster depends on did not answer in time; retry later.',
): ScimError {
  return new ScimError(503, detail, undefined, { 'Retry-After': String(OUTAGE_RETRY_AFTER_SECONDS) });
}
