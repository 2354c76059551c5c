/**
 * The outermost middleware: gives each request its id (API Gateway's, so it matches the access
 * log), puts the id on every log line and on the response (`X-Request-Id`), logs one summary line
 * per request, and drops the body of HEAD answers. It must be registered first so that its `after`
 * and `onError` see the final response.
 */
import { randomUUID } from 'node:crypto';
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { setLogContext } from './log-context';
import { logger } from './logger';
import { requestState, setRequestState } from './request-state';

const startedAt = new WeakMap<APIGatewayProxyEvent, number>();

export function requestContextMiddleware(): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  const finish = (request: { event: APIGatewayProxyEvent; response: APIGatewayProxyResult | null }): void => {
    const { event, response } = request;
    if (response) {
      response.headers = { ...response.headers, 'X-Request-Id': requestState(event).requestId };
      if (event.httpMethod.toUpperCase() === 'HEAD') response.body = '';
      // Paths hold only resource ids; query strings are left out because filters carry emails.
      logger.info('scim request', {
        method: event.httpMethod,
        path: event.path,
        status: response.statusCode,
        durationMs: Date.now() - (startedAt.get(event) ?? Date.now()),
      });
    }
  };
  return {
    name: 'requestContext',
    before: ({ event, context }) => {
      const requestId = event.requestContext?.requestId || lambdaRequestId(context) || randomUUID();
      setRequestState(event, { requestId });
      startedAt.set(event, Date.now());
      if (lambdaRequestId(context)) logger.addContext(context);
      setLogContext({ requestId });
    },
    after: finish,
    onError: finish,
  };
}

function lambdaRequestId(context: Context | undefined): string | undefined {
  return typeof context?.awsRequestId === 'string' && context.awsRequestId !== ''
    ? context.awsRequestId
    : undefined;
}
