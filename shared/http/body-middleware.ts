/**
 * Checks and parses the request body before any endpoint sees it: size first (413 over the limit
 * advertised in /ServiceProviderConfig), then media type (415 unless SCIM or plain JSON, in UTF-8),
 * then JSON syntax (400 invalidSyntax). API Gateway's base64-encoded bodies are decoded.
 */
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { ScimError } from '../scim/error';
import type { JsonValue } from '../scim/json';
import { header } from './header';
import { requestState } from './request-state';

/** The largest request body accepted, in bytes (1 MiB); advertised as `bulk.maxPayloadSize`. */
export const MAX_PAYLOAD_BYTES = 1024 * 1024;

/** RFC 7644 §3.1 defines `application/scim+json`; Entra and others also send `application/json`. */
export const ACCEPTED_MEDIA_TYPES: readonly string[] = ['application/scim+json', 'application/json'];

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Methods whose body, if any, is ignored: no SCIM operation defines one. */
const BODYLESS = new Set(['GET', 'HEAD', 'DELETE', 'OPTIONS']);

export function bodyMiddleware(
  maxBytes: number = MAX_PAYLOAD_BYTES,
): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  return {
    name: 'body',
    before: ({ event }) => {
      if (BODYLESS.has(event.httpMethod.toUpperCase())) return;
      const body = parseBody(event, maxBytes);
      if (body !== undefined) requestState(event).body = body;
    },
  };
}

export function parseBody(
  event: Pick<APIGatewayProxyEvent, 'body' | 'isBase64Encoded' | 'headers'>,
  maxBytes: number = MAX_PAYLOAD_BYTES,
): JsonValue | undefined {
  const declared = Number(header(event, 'content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
  if (event.body === null || event.body === undefined || event.body === '') return undefined;
  const bytes = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
  if (bytes.length > maxBytes) throw tooLarge(maxBytes);
  checkMediaType(header(event, 'content-type'));
  let text: string;
  try {
    // RFC 7644 §3.1 and RFC 8259 §8.1: the body is UTF-8. Invalid bytes are refused, never stored
    // as replacement characters.
    text = UTF8.decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    throw ScimError.badRequest('invalidSyntax', 'The request body is not valid UTF-8.');
  }
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    throw ScimError.badRequest('invalidSyntax', 'The request body is not valid JSON.');
  }
}

/** A missing Content-Type is read as JSON: some IdP templates omit it, and the body must be JSON anyway. */
function checkMediaType(contentType: string | undefined): void {
  if (contentType === undefined || contentType.trim() === '') return;
  const [mediaType = '', ...parameters] = contentType.split(';').map((part) => part.trim().toLowerCase());
  const charset = parameters
    .find((p) => p.startsWith('charset='))
    ?.slice('charset='.length)
    .replace(/"/g, '');
  if (
    !ACCEPTED_MEDIA_TYPES.includes(mediaType) ||
    (charset !== undefined && !['utf-8', 'utf8'].includes(charset))
  ) {
    throw new ScimError(415, 'Send the body as application/scim+json (or application/json) in UTF-8.');
  }
}

function tooLarge(maxBytes: number): ScimError {
  return new ScimError(413, `The request body is larger than the maximum of ${maxBytes} bytes.`);
}
