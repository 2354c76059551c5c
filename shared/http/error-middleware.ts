/**
 * Turns every failure into a SCIM Error response in one place. A ScimError answers with its own
 * status, body and headers; DynamoDB throttling answers 429 with Retry-After so that IdPs back off
 * instead of quarantining the endpoint; anything else is a bug: logged with the request id and
 * answered 500 without internals.
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
