/**
 * Turns every failure into a SCIM Error response in one place. A ScimError answers with its own
 * status, body and headers; DynamoDB throttling answers 429 with Retry-After so that IdPs back off
 * instead of quarantining the endpoint; a batch read or write the table kept leaving unprocessed
 * (shared/store/batch.ts) and an outage (outage.ts) answer 503 with Retry-After; anything else is
 * a bug: logged with the request id and answered 500 without internals.
 */
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { ScimError } from '../scim/error';
import { logger } from './logger';
import { isOutage, serviceUnavailable } from './outage';
import { errorResult } from './proxy-result';
import { requestState } from './request-state';

/** Seconds an IdP is asked to wait after DynamoDB throttled us; on-demand tables adapt within seconds. */
export const THROTTLED_RETRY_AFTER_SECONDS = 2;

const THROTTLING_ERRORS = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
]);
const THROTTLING_REASONS = new Set([
  'ProvisionedThroughputExceeded',
  'ThrottlingError',
  'RequestLimitExceeded',
]);

/** The errors shared/store/batch.ts gives up with, by name (as the SDK's errors are matched). */
const UNPROCESSED_ERRORS = new Set(['UnprocessedReadsError', 'UnprocessedWritesError']);

export function errorMiddleware(): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  return {
    name: 'scimError',
    onError: (request) => {
      request.response = toErrorResult(request.error, requestState(request.event).requestId);
    },
  };
}

export function toErrorResult(error: unknown, requestId: string): APIGatewayProxyResult {
  if (error instanceof ScimError) return errorResult(error);
  if (isThrottling(error)) {
    logger.warn('throttled by DynamoDB', { error });
    return errorResult(
      new ScimError(429, 'Too many requests; retry later.', undefined, {
        'Retry-After': String(THROTTLED_RETRY_AFTER_SECONDS),
      }),
    );
  }
  if (isUnprocessed(error)) {
    logger.warn('the table kept leaving a batch unprocessed: answered 503', {
      errorName: (error as Error).name,
      attempts: (error as { attempts?: unknown }).attempts,
    });
    return errorResult(serviceUnavailable('The table Roster stores in is over capacity; retry later.'));
  }
  if (isOutage(error)) {
    // Names only: an AWS error message may quote a key, and keys hold emails.
    logger.warn('a dependency is unavailable: answered 503', {
      errorName: error instanceof Error ? error.name : 'unknown',
    });
    return errorResult(serviceUnavailable());
  }
  logger.error('unhandled error: this is a bug', { error });
  return errorResult(new ScimError(500, `Internal server error (request id ${requestId}).`));
}

/** A batch the table kept leaving unprocessed: nothing half-read is answered, so it is retryable. */
export function isUnprocessed(error: unknown): boolean {
  return error instanceof Error && UNPROCESSED_ERRORS.has(error.name);
}

export function isThrottling(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (THROTTLING_ERRORS.has(error.name)) return true;
  // A transaction cancelled because one of its items was throttled.
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
  return (
    error.name === 'TransactionCanceledException' &&
    Array.isArray(reasons) &&
    reasons.some((reason) => THROTTLING_REASONS.has(reason.Code ?? ''))
  );
}
