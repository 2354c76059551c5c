/**
 * Turns a ScimResponse or ScimError into an API Gateway proxy result. Every answer, errors
 * included, is `application/scim+json`: Entra's validator aborts on any other content type.
 */
import type { APIGatewayProxyResult } from 'aws-lambda';
import type { ScimResponse } from '../scim/http';
import type { ScimError } from '../scim/error';

export const SCIM_CONTENT_TYPE = 'application/scim+json; charset=utf-8';

export function toProxyResult(response: ScimResponse): APIGatewayProxyResult {
  const headers: Record<string, string> = { ...response.headers };
  for (const name of Object.keys(headers)) {
    if (name.toLowerCase() === 'content-type') delete headers[name];
  }
  headers['Content-Type'] = SCIM_CONTENT_TYPE;
  return {
    statusCode: response.status,
    headers,
    body: response.body === undefined ? '' : JSON.stringify(response.body),
  };
}

export function errorResult(error: ScimError): APIGatewayProxyResult {
  return toProxyResult({ status: error.status, headers: error.headers, body: { ...error.toBody() } });
}
