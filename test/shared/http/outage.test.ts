/**
 * Fault injection: a stalled, failing or throttled dependency answers 503 (or 429) with Retry-After
 * and a SCIM error body within the request's budget, never a hang and never a 500; a bug stays 500.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  GetSecretValueCommand,
  InternalServiceError,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { isOutage } from '../../../shared/http/outage';
import { scimHandler } from '../../../shared/http/scim-handler';
import { SecretsManagerConnectionDirectory } from '../../../shared/secrets/secrets-manager-connection-directory';
import type { Connection, ConnectionDirectory } from '../../../shared/secrets/connection';
import { hashToken, matchTokenHash } from '../../../shared/secrets/token';
import { DynamoLinkStore } from '../../../shared/store/dynamo-link-store';
import { documentClient, dynamoClient } from '../../../shared/store/client';
import { proxyEvent } from './proxy-event';

const TOKEN = 'rst_outage-token';
const acme: Connection = {
  id: 'acme',
  name: 'Acme',
  tokens: [{ sha256: hashToken(TOKEN), createdAt: '2024-01-01T00:00:00.000Z' }],
  settings: { requireSamlOnly: false, workspace: { kind: 'builtin', workspaceId: 'w1' } },
};
const directory: ConnectionDirectory = {
  resolveToken: async (token) => (matchTokenHash(token, [acme.tokens[0]!.sha256]) === 0 ? acme : undefined),
  get: async () => acme,
  list: async () => [acme],
};
const context = {} as Context;
const get = (path = '/scim/v2/Users/u1') =>
  proxyEvent({
    path,
    headers: { Authorization: `Bearer ${TOKEN}`, Host: 'h', 'X-Forwarded-Proto': 'https' },
  });

function sdkError(name: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(`${name} (injected)`), { name, ...extra });
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('isOutage', () => {
  it.each([
    ['a timeout', sdkError('TimeoutError')],
    ['a refused connection', sdkError('Error', { code: 'ECONNREFUSED' })],
    ['a reset connection', sdkError('Error', { code: 'ECONNRESET' })],
    [
      'a 5xx after the SDK retries',
      sdkError('InternalServerError', { $fault: 'server', $metadata: { httpStatusCode: 500 } }),
    ],
    ['a 503 with another name', sdkError('Unknown', { $metadata: { httpStatusCode: 503 } })],
    ['Secrets Manager failing', new InternalServiceError({ message: 'x', $metadata: {} })],
    [
      'a transaction still contended after its retries',
      new TransactionCanceledException({
        message: 'cancelled',
        $metadata: {},
        CancellationReasons: [{ Code: 'TransactionConflict' }, { Code: 'None' }],
      }),
    ],
  ])('counts %s as an outage', (_name, error) => {
    expect(isOutage(error)).toBe(true);
  });

  it.each([
    [
      'a failed condition',
      new TransactionCanceledException({
        message: 'c',
        $metadata: {},
        CancellationReasons: [{ Code: 'ConditionalCheckFailed' }],
      }),
    ],
    [
      'a validation error',
      sdkError('ValidationException', { $fault: 'client', $metadata: { httpStatusCode: 400 } }),
    ],
    ['a bug', new TypeError('undefined is not a function')],
  ])('does not count %s', (_name, error) => {
    expect(isOutage(error)).toBe(false);
  });
});

describe('the handler during an outage', () => {
  it('answers 503 with Retry-After and a SCIM body when DynamoDB times out', async () => {
    const ddb = mockClient(DynamoDBDocumentClient);
    ddb.on(GetCommand).rejects(sdkError('TimeoutError'));
    const store = new DynamoLinkStore({
      doc: documentClient(dynamoClient('http://127.0.0.1:9')),
      table: 't',
    });
    const handler = scimHandler(
      async ({ connection, request }) => {
        await store.getUser(connection.id, request.id as string);
        return { status: 200, body: {} };
      },
      { directory: () => directory },
    );
    const result = await handler(get(), context);
    ddb.restore();
    expect(result.statusCode).toBe(503);
    expect(result.headers?.['Retry-After']).toBe('5');
    expect(JSON.parse(result.body)).toMatchObject({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '503',
    });
  });

  it('answers 503 when Secrets Manager fails while resolving the token (not 500)', async () => {
    const sm = mockClient(SecretsManagerClient);
    sm.on(GetSecretValueCommand).rejects(new InternalServiceError({ message: 'down', $metadata: {} }));
    const secrets = new SecretsManagerConnectionDirectory({
      secretId: 'roster/outage/connections',
      client: new SecretsManagerClient({ region: 'eu-west-1' }),
    });
    const handler = scimHandler(async () => ({ status: 200, body: {} }), { directory: () => secrets });
    const result = await handler(get(), context);
    sm.restore();
    expect(result.statusCode).toBe(503);
    expect(result.headers?.['Retry-After']).toBe('5');
  });

  it('answers 503 within the budget when a dependency never answers, instead of hanging', async () => {
    const handler = scimHandler(() => new Promise(() => {}), {
      directory: () => directory,
      env: { ...process.env, ROSTER_REQUEST_BUDGET_MS: '300' },
    });
    const started = Date.now();
    const result = await handler(get(), context);
    expect(result.statusCode).toBe(503);
    expect(JSON.parse(result.body).detail).toMatch(/within 300 ms/);
    // Bounded, with room for a loaded machine: never the 29 s API Gateway would wait.
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('answers 429 when DynamoDB throttles a transaction, and 500 only for a bug', async () => {
    const ddb = mockClient(DynamoDBDocumentClient);
    ddb.on(TransactWriteCommand).rejects(sdkError('ProvisionedThroughputExceededException'));
    const db = { doc: documentClient(dynamoClient('http://127.0.0.1:9')), table: 't' };
    const throttled = scimHandler(
      async () => {
        await db.doc.send(new TransactWriteCommand({ TransactItems: [] }));
        return { status: 200, body: {} };
      },
      { directory: () => directory },
    );
    expect((await throttled(get(), context)).statusCode).toBe(429);
    ddb.restore();
    const buggy = scimHandler(
      async () => {
        throw new TypeError('x is undefined');
      },
      { directory: () => directory },
    );
    expect((await buggy(get(), context)).statusCode).toBe(500);
  });
});
