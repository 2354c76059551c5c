/**
 * 405 for the methods a SCIM route does not serve (RFC 9110 §15.5.6: with the `Allow` header), in
 * the SCIM Error shape, answered by API Gateway itself through a mock integration, so no function
 * runs and the answer matches the handlers' own 405 in `npm start`. Without it API Gateway would
 * answer an unrouted method as an unknown path (404).
 */
import { MockIntegration, PassthroughBehavior } from 'aws-cdk-lib/aws-apigateway';
import type { IResource } from 'aws-cdk-lib/aws-apigateway';
import { scimErrorBody } from './gateway-responses';

/** The methods an IdP may send to a SCIM path; every one a route does not serve answers 405. */
const SCIM_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

export function addMethodNotAllowed(resource: IResource, allowed: readonly string[]): void {
  const allow = allowed.join(', ');
  for (const method of SCIM_METHODS.filter((m) => !allowed.includes(m))) {
    const body = scimErrorBody(405, `${method} is not supported here.`);
    const integration = new MockIntegration({
      // The mock never sees the client's body (which it would try to read a status code from);
      // the one integration response is the default, so whatever the mock answers maps to 405.
      // Bodies of other content types get API Gateway's 415, as the handlers would answer them.
      passthroughBehavior: PassthroughBehavior.NEVER,
      requestTemplates: {
        'application/json': '{"statusCode": 200}',
        'application/scim+json': '{"statusCode": 200}',
      },
      integrationResponses: [
        {
          statusCode: '405',
          responseTemplates: { 'application/json': body },
          responseParameters: {
            'method.response.header.Allow': `'${allow}'`,
            'method.response.header.Content-Type': "'application/scim+json'",
          },
        },
      ],
    });
    resource.addMethod(method, integration, {
      methodResponses: [
        {
          statusCode: '405',
          responseParameters: {
            'method.response.header.Allow': true,
            'method.response.header.Content-Type': true,
          },
        },
      ],
    });
  }
}
