import type { APIGatewayProxyEvent } from 'aws-lambda';

/** A REST API proxy event as API Gateway sends it for `/scim/v2/...` on stage `dev`. */
export function proxyEvent(
  overrides: Partial<APIGatewayProxyEvent> & { path: string },
): APIGatewayProxyEvent {
  return {
    httpMethod: 'GET',
    headers: { Host: 'abc.execute-api.eu-west-1.amazonaws.com', 'X-Forwarded-Proto': 'https' },
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    resource: '/scim/v2/{proxy+}',
    body: null,
    isBase64Encoded: false,
    requestContext: {
      requestId: 'req-1',
      path: `/dev${overrides.path}`,
      stage: 'dev',
    } as APIGatewayProxyEvent['requestContext'],
    ...overrides,
  };
}
