/**
 * Helpers for the integration tests: a small SCIM client over HTTP against `startScimApp()`, a
 * snapshot of every item of one connection (or workspace) to prove that a refused request wrote
 * nothing, and a recorder of the DynamoDB calls the process-wide client makes.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { db } from '../../shared/store/client';
import type { JsonObject } from '../../shared/scim/json';
import { testDb } from '../support/db';

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json: JsonObject;
}

export interface RequestOptions {
  body?: unknown;
  rawBody?: string;
  contentType?: string;
  headers?: Record<string, string>;
  /** `none` sends no Authorization header. */
  authorization?: string | 'none';
}

export interface ScimClient {
  request(method: string, path: string, options?: RequestOptions): Promise<Reply>;
  get(path: string, headers?: Record<string, string>): Promise<Reply>;
  post(path: string, body: unknown): Promise<Reply>;
  patch(path: string, operations: unknown[], headers?: Record<string, string>): Promise<Reply>;
  del(path: string, headers?: Record<string, string>): Promise<Reply>;
}

export function scimClient(baseUrl: string, token: string): ScimClient {
  const request = async (method: string, path: string, options: RequestOptions = {}): Promise<Reply> => {
    const headers: Record<string, string> = { Accept: 'application/scim+json', ...options.headers };
    if (options.authorization !== 'none') {
      headers.Authorization = options.authorization ?? `Bearer ${token}`;
    }
    const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    if (body !== undefined) headers['Content-Type'] = options.contentType ?? 'application/scim+json';
    const response = await fetch(baseUrl + path, { method, headers, body });
    const text = await response.text();
    const json = (text === '' ? {} : JSON.parse(text)) as JsonObject;
    return { status: response.status, headers: response.headers, text, json };
  };
  return {
    request,
    get: (path, headers) => request('GET', path, { headers }),
    post: (path, body) => request('POST', path, { body }),
    patch: (path, operations, headers) =>
      request('PATCH', path, {
        headers,
        body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: operations },
      }),
    del: (path, headers) => request('DELETE', path, { headers }),
  };
}

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

export function userBody(userName: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const [given = 'x', family = 'y'] = userName.split('@')[0]?.split('.') ?? [];
  return {
    schemas: [USER_SCHEMA],
    userName,
    name: { givenName: given, familyName: family },
    emails: [{ value: userName, type: 'work', primary: true }],
    active: true,
    ...extra,
  };
}

/**
 * A create as an IdP sends it: a 503 (the engine did not answer within the request's budget, as
 * on a loaded machine) is sent again after a pause, up to 4 times. A retried create answers 201
 * whether the first one committed or not (the replay), which test/integration/stalled-store.test.ts
 * proves; every other status is the caller's to judge.
 */
async function createdOrRetried(
  client: ScimClient,
  path: string,
  body: Record<string, unknown>,
): Promise<Reply> {
  for (let attempt = 1; ; attempt++) {
    const reply = await client.post(path, body);
    if (reply.status !== 503 || attempt === 4) return reply;
    await new Promise((resolve) => setTimeout(resolve, 250 * 2 ** attempt));
  }
}

/** Creates a user and returns its id (fails the test on anything but 201, a 503 resent first). */
export async function createUser(
  client: ScimClient,
  userName: string,
  extra: Record<string, unknown> = {},
): Promise<string> {
  const reply = await createdOrRetried(client, '/Users', userBody(userName, extra));
  if (reply.status !== 201) throw new Error(`create ${userName}: ${reply.status} ${reply.text}`);
  return String(reply.json.id);
}

export async function createGroup(client: ScimClient, displayName: string, memberIds: string[] = []) {
  const reply = await createdOrRetried(client, '/Groups', {
    schemas: [GROUP_SCHEMA],
    displayName,
    members: memberIds.map((value) => ({ value })),
  });
  if (reply.status !== 201) throw new Error(`create group ${displayName}: ${reply.status} ${reply.text}`);
  return String(reply.json.id);
}

/**
 * Every item whose partition key starts with `prefix`, sorted and serialised. A filtered Scan is
 * acceptable here (a test helper, never the request path); the filter keeps only this
 * connection's (or workspace's) items. A Scan reads the whole table, so the files that call it use
 * a table of their own (`useOwnTable`): on the run's shared table it would read what every other
 * file wrote, and a run slowed to a crawl.
 */
export async function snapshot(prefix: string): Promise<string[]> {
  const { doc, table } = testDb();
  const items: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await doc.send(
      new ScanCommand({
        TableName: table,
        FilterExpression: 'begins_with(pk, :prefix)',
        ExpressionAttributeValues: { ':prefix': prefix },
        ConsistentRead: true,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    for (const item of out.Items ?? []) items.push(canonical(item));
    start = out.LastEvaluatedKey;
  } while (start);
  return items.sort();
}

/**
 * Page cursors are bookkeeping written by reads (remembered page ends), not link state; nor is the
 * audit trail (a deletion's tombstone, the notes of changes made in the workspace, the entries the
 * apply writes: shared/audit/), which names the ids it is about and expires on its own.
 */
export async function linkState(connectionId: string): Promise<string[]> {
  const scope = `"pk":"C#${connectionId}#`;
  return (await snapshot(`C#${connectionId}#`)).filter(
    (item) =>
      !item.includes(`#CURSOR#`) &&
      !['GONE#', 'NOTE#', 'AUDIT#', 'AUDITOBJ#'].some((family) => item.includes(`${scope}${family}`)),
  );
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(
          Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : inner,
  );
}

export interface RecordedCall {
  command: string;
  input: Record<string, unknown>;
  items: Record<string, unknown>[];
}

/**
 * Records every call the process-wide DynamoDB client makes while `during` runs (the handlers run
 * in this process behind the local server), then restores the client.
 */
export async function recordCalls(during: () => Promise<void>): Promise<RecordedCall[]> {
  const shared = db();
  const original = shared.doc.send.bind(shared.doc) as (...args: unknown[]) => Promise<unknown>;
  const calls: RecordedCall[] = [];
  const recording = async (
    command: { constructor: { name: string }; input: unknown },
    ...rest: unknown[]
  ) => {
    const output = (await original(command, ...rest)) as {
      Item?: Record<string, unknown>;
      Items?: Record<string, unknown>[];
      Responses?: Record<string, Record<string, unknown>[]>;
    };
    const items = [
      ...(output?.Item ? [output.Item] : []),
      ...(output?.Items ?? []),
      ...Object.values(output?.Responses ?? {}).flat(),
    ];
    calls.push({
      command: command.constructor.name,
      input: (command.input ?? {}) as Record<string, unknown>,
      items,
    });
    return output;
  };
  const own = Object.getOwnPropertyDescriptor(shared.doc, 'send');
  Object.defineProperty(shared.doc, 'send', { value: recording, configurable: true, writable: true });
  try {
    await during();
  } finally {
    if (own) Object.defineProperty(shared.doc, 'send', own);
    else delete (shared.doc as unknown as Record<string, unknown>).send;
  }
  return calls;
}
