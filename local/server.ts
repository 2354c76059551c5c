/**
 * The local HTTP front door: a node:http server on 127.0.0.1 that turns each request into the same
 * API Gateway REST API proxy event AWS would send and calls the same Lambda handler the route maps
 * to, so `npm start` exercises exactly the code that runs on AWS.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { SCIM_BASE_PATH } from '../shared/http/base-url';
import { MAX_PAYLOAD_BYTES } from '../shared/http/body-middleware';
import { toErrorResult } from '../shared/http/error-middleware';
import { errorResult } from '../shared/http/proxy-result';
import { ScimError } from '../shared/scim/error';

export type ProxyHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

/** The Lambda handlers behind the routes, as the CDK stack wires them on AWS. */
export interface ScimRoutes {
  users: ProxyHandler;
  groups: ProxyHandler;
  discovery: ProxyHandler;
}

export interface Route {
  function: keyof ScimRoutes;
  /** The API Gateway resource, such as `/scim/v2/Users/{id}`. */
  resource: string;
  id?: string;
}

export interface LocalServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  port: number;
  close(): Promise<void>;
}

export interface LocalServerOptions {
  /** 0 picks a free port. */
  port?: number;
  host?: string;
}

const COLLECTIONS: Record<string, { function: keyof ScimRoutes; withId: boolean }> = {
  Users: { function: 'users', withId: true },
  Groups: { function: 'groups', withId: true },
  ServiceProviderConfig: { function: 'discovery', withId: false },
  ResourceTypes: { function: 'discovery', withId: true },
  Schemas: { function: 'discovery', withId: true },
  // POST /.search at the root: answered 501 (see the discovery endpoint).
  '.search': { function: 'discovery', withId: false },
};

/** The route a path maps to, the same table as the stack's API Gateway resources; undefined is a 404. */
export function routeFor(pathname: string): Route | undefined {
  if (!pathname.startsWith(SCIM_BASE_PATH + '/')) return undefined;
  const segments = pathname.slice(SCIM_BASE_PATH.length + 1).split('/');
  if (segments.at(-1) === '') segments.pop();
  const [collection, id, ...rest] = segments;
  const target = collection === undefined ? undefined : COLLECTIONS[collection];
  if (!target || rest.length > 0) return undefined;
  const resource = `${SCIM_BASE_PATH}/${collection}`;
  if (id === undefined) return { function: target.function, resource };
  if (!target.withId || id === '') return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(id);
  } catch {
    return undefined;
  }
  return { function: target.function, resource: `${resource}/{id}`, id: decoded };
}

export async function startServer(
  routes: ScimRoutes,
  options: LocalServerOptions = {},
): Promise<LocalServer> {
  const host = options.host ?? '127.0.0.1';
  const server = createServer((req, res) => {
    handle(routes, req, res).catch((error: unknown) => send(res, toErrorResult(error, 'local')));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8787, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(routes: ScimRoutes, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const route = routeFor(url.pathname);
  // Every response carries a request id, also those answered before any handler runs.
  const requestId = randomUUID();
  if (!route) {
    send(
      res,
      withRequestId(errorResult(ScimError.notFound(`No SCIM resource at ${url.pathname}.`)), requestId),
    );
    req.resume();
    return;
  }
  const body = await readBody(req);
  if (body === undefined) {
    send(
      res,
      withRequestId(
        errorResult(new ScimError(413, `The request body is larger than ${MAX_PAYLOAD_BYTES} bytes.`)),
        requestId,
      ),
    );
    return;
  }
  const event = toProxyEvent(req, url, route, body, requestId);
  send(res, await routes[route.function](event, lambdaContext(route, requestId)));
}

/**
 * The body as base64, or undefined when it exceeds the payload limit (the rest is not buffered).
 * Base64, as API Gateway sends binary bodies, so that the body middleware sees the bytes the client
 * sent and refuses invalid UTF-8 instead of reading replacement characters.
 */
async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  // Past the limit the rest is read and dropped, not left unread: leaving the loop would destroy
  // the socket and the client would see a connection reset instead of the 413.
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size <= MAX_PAYLOAD_BYTES) chunks.push(buffer);
  }
  if (size > MAX_PAYLOAD_BYTES) return undefined;
  return Buffer.concat(chunks).toString('base64');
}

export function toProxyEvent(
  req: Pick<IncomingMessage, 'method' | 'headers'>,
  url: URL,
  route: Route,
  body: string,
  requestId: string,
): APIGatewayProxyEvent {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    const values = Array.isArray(value) ? value : [value];
    headers[name] = values.join(', ');
    multiValueHeaders[name] = values;
  }
  // API Gateway always tells the function which protocol the client used.
  headers['x-forwarded-proto'] ??= 'http';
  const query: Record<string, string> = {};
  const multiQuery: Record<string, string[]> = {};
  for (const [name, value] of url.searchParams) {
    query[name] = value;
    (multiQuery[name] ??= []).push(value);
  }
  const hasQuery = Object.keys(query).length > 0;
  const method = (req.method ?? 'GET').toUpperCase();
  return {
    httpMethod: method,
    path: url.pathname,
    resource: route.resource,
    pathParameters: route.id !== undefined ? { id: route.id } : null,
    queryStringParameters: hasQuery ? query : null,
    multiValueQueryStringParameters: hasQuery ? multiQuery : null,
    headers,
    multiValueHeaders,
    body: body === '' ? null : body,
    isBase64Encoded: body !== '',
    stageVariables: null,
    requestContext: {
      requestId,
      path: url.pathname,
      stage: 'local',
      httpMethod: method,
      resourcePath: route.resource,
      requestTimeEpoch: Date.now(),
    } as APIGatewayProxyEvent['requestContext'],
  };
}

function lambdaContext(route: Route, requestId: string): Context {
  const deadline = Date.now() + 30_000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: `roster-local-${route.function}`,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:roster-local-${route.function}`,
    memoryLimitInMB: '1024',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/roster-local-${route.function}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

function withRequestId(result: APIGatewayProxyResult, requestId: string): APIGatewayProxyResult {
  return { ...result, headers: { ...result.headers, 'X-Request-Id': requestId } };
}

function send(res: ServerResponse, result: APIGatewayProxyResult): void {
  if (res.headersSent) return;
  res.statusCode = result.statusCode;
  for (const [name, value] of Object.entries(result.headers ?? {})) res.setHeader(name, String(value));
  for (const [name, values] of Object.entries(result.multiValueHeaders ?? {})) {
    res.setHeader(
      name,
      values.map((v) => String(v)),
    );
  }
  const body = result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body;
  res.end(body);
}
