/**
 * The absolute SCIM base URL the client used, for `meta.location`. `SCIM_BASE_URL` wins (a custom
 * domain in front of API Gateway); otherwise it is rebuilt from the forwarded protocol, the Host
 * header and whatever precedes `/scim/v2` in the request path (the stage on an execute-api URL).
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { header } from './header';

export const SCIM_BASE_PATH = '/scim/v2';

export function scimBaseUrl(event: APIGatewayProxyEvent, env: NodeJS.ProcessEnv = process.env): string {
  if (env.SCIM_BASE_URL) return env.SCIM_BASE_URL.replace(/\/+$/, '');
  const proto = header(event, 'x-forwarded-proto')?.split(',')[0]?.trim() ?? 'https';
  const host = header(event, 'host') ?? event.requestContext.domainName ?? 'localhost';
  const fullPath = event.requestContext.path ?? event.path;
  const at = fullPath.indexOf(SCIM_BASE_PATH);
  const prefix = at > 0 ? fullPath.slice(0, at) : '';
  return `${proto}://${host}${prefix}${SCIM_BASE_PATH}`;
}

/** The path below the SCIM base, such as `/Users/abc`. */
export function pathBelowBase(path: string): string {
  const at = path.indexOf(SCIM_BASE_PATH);
  const rest = at >= 0 ? path.slice(at + SCIM_BASE_PATH.length) : path;
  return rest === '' ? '/' : rest;
}
