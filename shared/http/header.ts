/** HTTP header names are case-insensitive; API Gateway passes them as the client spelled them. */
import type { APIGatewayProxyEvent } from 'aws-lambda';

export function header(event: Pick<APIGatewayProxyEvent, 'headers'>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted && value !== undefined) return value;
  }
  return undefined;
}

export function lowerCaseHeaders(
  event: Pick<APIGatewayProxyEvent, 'headers'>,
): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(event.headers ?? {})) out[key.toLowerCase()] = value;
  return out;
}
