/**
 * Answers API Gateway gives on its own (unknown path, throttling, timeouts) in the SCIM Error
 * shape (RFC 7644 §3.12) with `application/scim+json`: Entra's validator aborts on any other
 * content type, and IdPs log the `detail` they receive.
 */
import { ResponseType } from 'aws-cdk-lib/aws-apigateway';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';

const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

interface ScimGatewayError {
  type: ResponseType;
  status: number;
  scimType?: string;
  detail: string;
}

/** Each response type with the status API Gateway should send and the detail the IdP sees. */
export const SCIM_GATEWAY_ERRORS: readonly ScimGatewayError[] = [
  // With no API Gateway authorizer, this type only means "no such path or method".
  { type: ResponseType.MISSING_AUTHENTICATION_TOKEN, status: 404, detail: 'No such SCIM endpoint' },
  { type: ResponseType.RESOURCE_NOT_FOUND, status: 404, detail: 'No such SCIM endpoint' },
  {
    type: ResponseType.BAD_REQUEST_PARAMETERS,
    status: 400,
    scimType: 'invalidSyntax',
    detail: 'Missing resource id',
  },
  { type: ResponseType.THROTTLED, status: 429, detail: 'Too many requests; retry later' },
  { type: ResponseType.REQUEST_TOO_LARGE, status: 413, detail: 'Request body too large' },
  { type: ResponseType.WAF_FILTERED, status: 403, detail: 'Request blocked' },
  { type: ResponseType.INTEGRATION_TIMEOUT, status: 504, detail: 'The request timed out; retry it' },
  { type: ResponseType.INTEGRATION_FAILURE, status: 502, detail: 'The service failed; retry later' },
  { type: ResponseType.DEFAULT_5XX, status: 500, detail: 'The service failed; retry later' },
];

/** A SCIM Error body (RFC 7644 §3.12) as the JSON text of a mapping template. */
export function scimErrorBody(status: number, detail: string, scimType?: string): string {
  return JSON.stringify({
    schemas: [ERROR_SCHEMA],
    status: String(status),
    ...(scimType ? { scimType } : {}),
    detail,
  });
}

export function addScimGatewayResponses(api: RestApi): void {
  for (const error of SCIM_GATEWAY_ERRORS) {
    api.addGatewayResponse(`Scim${error.type.responseType}`, {
      type: error.type,
      statusCode: String(error.status),
      responseHeaders: { 'Content-Type': "'application/scim+json'" },
      templates: { 'application/json': scimErrorBody(error.status, error.detail, error.scimType) },
    });
  }
}
