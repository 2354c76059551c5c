/**
 * The batch calls' bound (shared/store/batch.ts): a table that keeps leaving keys or writes
 * unprocessed fails the call after BATCH_ATTEMPTS calls with a typed error instead of retrying
 * until the function times out, and every caller answers for it as it must: a SCIM request with
 * 503 and nothing written, a group delete with 204 and only leftovers readers tolerate, the stream
 * apply and the audit trail by failing the batch so that the stream delivers it again. A leftover
 * the next call processes is no failure at all.
 *
 * The table is DynamoDB Local; the failures are injected with aws-sdk-client-mock on a document
 * client of the test's own, which passes every other call through to the real one.
 */
import { randomUUID } from 'node:crypto';
import { marshall } from '@aws-sdk/util-dynamodb';
import { BatchGetCommand, BatchWriteCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { BatchGetCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { applyStreamRecords } from '../../../shared/apply/stream-apply';
import type { ChangeRecord } from '../../../shared/apply/stream-trigger';
import { runAudited } from '../../../shared/audit/audit-context';
import { AuditStore } from '../../../shared/audit/audit-store';
import { AuditTrail } from '../../../shared/audit/audit-trail';
import type { EndpointContext } from '../../../shared/endpoints/context';
import { groupsEndpoint } from '../../../shared/endpoints/groups';
import { usersEndpoint } from '../../../shared/endpoints/users';
import { logger } from '../../../shared/http/logger';
import { scimHandler } from '../../../shared/http/scim-handler';
import { WorkspaceProvisioning } from '../../../shared/provisioning/workspace-provisioning';
import type { JsonObject } from '../../../shared/scim/json';
import type { Connection, ConnectionDirectory } from '../../../shared/secrets/connection';
import { hashToken, matchTokenHash } from '../../../shared/secrets/token';
import {
  BATCH_ATTEMPTS,
  batchDelete,
  batchGet,
  batchPut,
  UnprocessedReadsError,
  UnprocessedWritesError,
} from '../../../shared/store/batch';
import { DynamoLinkStore } from '../../../shared/store/dynamo-link-store';
import { keys } from '../../../shared/store/keys';
import { backoff } from '../../../shared/store/transact';
import { userItem } from '../../../shared/store/user-items';
import { createBuiltinWorkspace } from '../../../shared/workspace/builtin/create-builtin-workspace';
import { itemsIn, testDb, uniqueConnectionId } from '../../support/db';
import { passThroughDb } from '../../support/pass-through-db';
import { proxyEvent } from '../http/proxy-event';
import { aGroup, aUser } from './records';

// The backoff waits nothing here, and is counted: the bound is in calls, not in time.
vi.mock(import('../../../shared/store/transact'), async (original) => ({
  ...(await original()),
  backoff: vi.fn(async () => undefined),
}));

type Input = Record<string, unknown> & { RequestItems: Record<string, unknown> };

/** Every key of every call left unprocessed, nothing read. */
const readsNothing = (input: Input) => ({ Responses: {}, UnprocessedKeys: input.RequestItems });
/** Every write of every call left unprocessed. */
const writesNothing = (input: Input) => ({ UnprocessedItems: input.RequestItems });

const mocks: { restore(): void }[] = [];
afterEach(() => {
  for (const mock of mocks.splice(0)) mock.restore();
  vi.mocked(backoff).mockClear();
  vi.restoreAllMocks();
});

function mocked() {
  const made = passThroughDb();
  mocks.push(made.mock);
  return made;
}

function someKeys(n: number) {
  const c = uniqueConnectionId('bb');
  return Array.from({ length: n }, (_, i) => keys.user(c, `u${i}`));
}

describe('the batch calls give up after their bound', () => {
  it('batchGet: keys left unprocessed on every call fail it after 8 calls, with 7 waits between them', async () => {
    const { db, mock } = mocked();
    mock.on(BatchGetCommand).callsFake(readsNothing);
    const error = await batchGet(db, someKeys(5)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnprocessedReadsError);
    expect(error).toMatchObject({ name: 'UnprocessedReadsError', attempts: 8, unprocessed: 5 });
    expect(BATCH_ATTEMPTS).toBe(8);
    expect(mock.commandCalls(BatchGetCommand)).toHaveLength(8);
    // No wait after the last call: it fails as soon as the bound is reached.
    expect(vi.mocked(backoff)).toHaveBeenCalledTimes(7);
  });

  it('batchGet: the bound is per call when given, and a failing chunk never yields a partial result', async () => {
    const { db, mock, real, through } = mocked();
    const [first, ...rest] = someKeys(150);
    await real.doc.send(new PutCommand({ TableName: real.table, Item: { ...first, id: 'u0' } }));
    // The first chunk (100 keys) is read; the second keeps being left unprocessed.
    mock.on(BatchGetCommand).callsFake((input: Input) => {
      const request = input.RequestItems[real.table] as { Keys: unknown[] };
      return request.Keys.length === 100
        ? through.batchGet(input as BatchGetCommandInput)
        : readsNothing(input);
    });
    await expect(batchGet(db, [first!, ...rest], undefined, { maxAttempts: 3 })).rejects.toMatchObject({
      name: 'UnprocessedReadsError',
      attempts: 3,
      unprocessed: 50,
    });
    expect(mock.commandCalls(BatchGetCommand)).toHaveLength(1 + 3);
  });

  it('batchGet: a leftover processed by the next call is read, and only it is asked again', async () => {
    const { db, mock, real, through } = mocked();
    const all = someKeys(3);
    for (const [i, key] of all.entries()) {
      await real.doc.send(new PutCommand({ TableName: real.table, Item: { ...key, id: `u${i}` } }));
    }
    mock
      .on(BatchGetCommand)
      .callsFakeOnce(async (input: Input) => {
        // The first key is read, the other two are left over once.
        const request = input.RequestItems[real.table] as { Keys: { pk: string; sk: string }[] };
        const [head, ...tail] = request.Keys;
        const out = await real.doc.send(
          new BatchGetCommand({ RequestItems: { [real.table]: { ...request, Keys: [head!] } } }),
        );
        return { ...out, UnprocessedKeys: { [real.table]: { ...request, Keys: tail } } };
      })
      .callsFake(through.batchGet);
    const found = await batchGet(db, all);
    expect(found.map((item) => item.id).sort()).toEqual(['u0', 'u1', 'u2']);
    const calls = mock.commandCalls(BatchGetCommand);
    expect(calls).toHaveLength(2);
    expect((calls[1]!.args[0].input.RequestItems?.[real.table]?.Keys ?? []).length).toBe(2);
  });

  it('batchPut: a chunk that keeps being left unprocessed fails it after 8 calls, and no later chunk is sent', async () => {
    const { db, mock } = mocked();
    mock.on(BatchWriteCommand).callsFake(writesNothing);
    const items = someKeys(60).map((key) => ({ ...key, n: 1 }));
    const error = await batchPut(db, items).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnprocessedWritesError);
    // The first chunk's 25 and the 35 of the two chunks never sent.
    expect(error).toMatchObject({ name: 'UnprocessedWritesError', attempts: 8, unprocessed: 60 });
    expect(mock.commandCalls(BatchWriteCommand)).toHaveLength(8);
    expect(vi.mocked(backoff)).toHaveBeenCalledTimes(7);
  });

  it('batchDelete: the default bound holds without maxAttempts too', async () => {
    const { db, mock } = mocked();
    mock.on(BatchWriteCommand).callsFake(writesNothing);
    await expect(batchDelete(db, someKeys(3))).rejects.toMatchObject({
      name: 'UnprocessedWritesError',
      attempts: 8,
      unprocessed: 3,
    });
    expect(mock.commandCalls(BatchWriteCommand)).toHaveLength(8);
  });

  it('batchPut: writes left over once are written by the next call', async () => {
    const { db, mock, real, through } = mocked();
    mock.on(BatchWriteCommand).callsFakeOnce(writesNothing).callsFake(through.batchWrite);
    const written = someKeys(30);
    await batchPut(
      db,
      written.map((key, i) => ({ ...key, n: i })),
    );
    // Chunk one twice (left over, then written), chunk two once.
    expect(mock.commandCalls(BatchWriteCommand)).toHaveLength(3);
    expect(await batchGet(real, written)).toHaveLength(30);
  });

  it('refuses a bound that is not a positive integer', async () => {
    const { db } = mocked();
    await expect(batchGet(db, someKeys(1), undefined, { maxAttempts: 0 })).rejects.toBeInstanceOf(RangeError);
    expect(() => batchPut(db, [], { maxAttempts: Number.POSITIVE_INFINITY })).toThrow(RangeError);
  });
});

// The SCIM request path: the Lambda handler's middleware over the real endpoints.

const TOKEN = 'rst_batch-bounds-token';

async function scimWorld() {
  const workspace = await createBuiltinWorkspace(testDb(), uniqueConnectionId('w'));
  const connection: Connection = {
    id: uniqueConnectionId('bb'),
    name: 'batch bounds',
    tokens: [{ sha256: hashToken(TOKEN), createdAt: '2024-01-01T00:00:00.000Z' }],
    settings: { requireSamlOnly: false, workspace: { kind: 'builtin', workspaceId: workspace.workspaceId } },
  };
  const directory: ConnectionDirectory = {
    resolveToken: async (token) =>
      matchTokenHash(token, [connection.tokens[0]!.sha256]) === 0 ? connection : undefined,
    get: async () => connection,
    list: async () => [connection],
  };
  const provisioning = new WorkspaceProvisioning({ connectorFor: () => workspace.as(connection.id) });
  const real = new DynamoLinkStore(testDb());
  const { db, mock, through } = mocked();
  const flaky = new DynamoLinkStore(db);
  const context = (store: DynamoLinkStore, request: EndpointContext['request']): EndpointContext => ({
    connection,
    request,
    store,
    provisioning,
    now: () => new Date(),
    newId: randomUUID,
  });
  const route = (ctx: EndpointContext) =>
    ctx.request.path.startsWith('/Groups') ? groupsEndpoint(ctx) : usersEndpoint(ctx);
  const handler = scimHandler(({ request }) => route(context(flaky, request)), {
    directory: () => directory,
  });
  /** Through the handler, on the store whose calls `mock` overrides. */
  const send = async (method: string, path: string, body?: JsonObject) => {
    const result = await handler(
      proxyEvent({
        httpMethod: method,
        path: `/scim/v2${path}`,
        headers: {
          Authorization: `Bearer ${TOKEN}`,
          Host: 'h',
          'X-Forwarded-Proto': 'https',
          'Content-Type': 'application/scim+json',
        },
        body: body === undefined ? null : JSON.stringify(body),
      }),
      {} as Context,
    );
    return {
      status: result.statusCode,
      headers: result.headers ?? {},
      json: JSON.parse(result.body || '{}'),
    };
  };
  /** Straight to the endpoints on the real store, for the setup. */
  const seed = async (method: 'POST' | 'PATCH', path: string, body: JsonObject): Promise<string> => {
    const [, , id] = path.split('/');
    const response = await route(
      context(real, {
        method,
        path,
        ...(id ? { id } : {}),
        query: {},
        headers: {},
        body,
        baseUrl: 'http://localhost/scim/v2',
        requestId: randomUUID(),
      }),
    );
    if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status}`);
    return ((response.body ?? {}) as JsonObject).id as string;
  };
  const createUser = (name: string) =>
    seed('POST', '/Users', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: `${name}-${randomUUID().slice(0, 6)}@example.com`,
      name: { givenName: name, familyName: 'Test' },
      active: true,
    });
  const createGroup = (displayName: string, members: string[]) =>
    seed('POST', '/Groups', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
      displayName,
      members: members.map((value) => ({ value })),
    });
  return { connection, real, mock, through, send, createUser, createGroup };
}

const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const deactivate = { schemas: [PATCH], Operations: [{ op: 'replace', value: { active: false } }] };

function expectUnavailable(reply: { status: number; headers: Record<string, unknown>; json: JsonObject }) {
  expect(reply.status).toBe(503);
  expect(reply.headers['Retry-After']).toBe('5');
  expect(reply.json).toMatchObject({
    schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
    status: '503',
  });
  // No internals: neither the error's name nor the table's.
  expect(JSON.stringify(reply.json)).not.toMatch(/Unprocessed|roster-f-/);
}

describe('a SCIM request whose batch the table keeps leaving unprocessed', () => {
  it('a list answers 503 with Retry-After when its counter read gives up, not a 500', async () => {
    const world = await scimWorld();
    await world.createUser('ada');
    world.mock.on(BatchGetCommand).callsFake(readsNothing);
    const warn = vi.spyOn(logger, 'warn').mockImplementation(() => undefined);
    expectUnavailable(await world.send('GET', '/Users?startIndex=1&count=10'));
    expect(world.mock.commandCalls(BatchGetCommand)).toHaveLength(8);
    // Logged as the capacity problem it is, not as a bug.
    expect(warn).toHaveBeenCalledWith(
      'the table kept leaving a batch unprocessed: answered 503',
      expect.objectContaining({ errorName: 'UnprocessedReadsError', attempts: 8 }),
    );
  });

  it('a membership PATCH answers 503 and writes nothing when its read gives up', async () => {
    const world = await scimWorld();
    const ada = await world.createUser('ada');
    const bob = await world.createUser('bob');
    const groupId = await world.createGroup('Readers', [ada]);
    world.mock.on(BatchGetCommand).callsFake(readsNothing);
    const reply = await world.send('PATCH', `/Groups/${groupId}`, {
      schemas: [PATCH],
      Operations: [{ op: 'add', path: 'members', value: [{ value: bob }] }],
    });
    expectUnavailable(reply);
    expect(world.mock.commandCalls(TransactWriteCommand)).toHaveLength(0);
    const group = await world.real.getGroup(world.connection.id, groupId);
    expect(group).toMatchObject({ memberCount: 1, meta: { version: 1 } });
    expect(await world.real.groupsOfUser(world.connection.id, bob)).toEqual([]);
  });

  it('a deactivation answers 503 and leaves the user active and in their groups when the group read gives up', async () => {
    // Taken as complete, a partial read would count the unread groups as deleted ones and drop
    // their memberships without moving their count (dropOrphanOp).
    const world = await scimWorld();
    const ada = await world.createUser('ada');
    const groupId = await world.createGroup('Kept', [ada]);
    world.mock.on(BatchGetCommand).callsFake(readsNothing);
    expectUnavailable(await world.send('PATCH', `/Users/${ada}`, deactivate));
    expect(world.mock.commandCalls(TransactWriteCommand)).toHaveLength(0);
    expect(await world.real.getUser(world.connection.id, ada)).toMatchObject({ active: true });
    expect((await world.real.groupsOfUser(world.connection.id, ada)).map((m) => m.groupId)).toEqual([
      groupId,
    ]);
    expect(await world.real.getGroup(world.connection.id, groupId)).toMatchObject({ memberCount: 1 });
  });

  it('a deactivation whose group read is left over once succeeds, and leaves the group properly', async () => {
    const world = await scimWorld();
    const ada = await world.createUser('ada');
    const groupId = await world.createGroup('Left', [ada]);
    world.mock.on(BatchGetCommand).callsFakeOnce(readsNothing).callsFake(world.through.batchGet);
    const reply = await world.send('PATCH', `/Users/${ada}`, deactivate);
    expect(reply.status).toBe(200);
    expect(world.mock.commandCalls(BatchGetCommand)).toHaveLength(2);
    expect(await world.real.getUser(world.connection.id, ada)).toMatchObject({ active: false });
    expect(await world.real.groupsOfUser(world.connection.id, ada)).toEqual([]);
    // Left as a live group (its count moved), not dropped as an orphan (its count untouched).
    expect(await world.real.getGroup(world.connection.id, groupId)).toMatchObject({ memberCount: 0 });
  });

  it('a group DELETE whose member cleanup gives up answers 204: the group is gone, the leftovers are tolerated and cleaned later', async () => {
    const world = await scimWorld();
    const ada = await world.createUser('ada');
    const bob = await world.createUser('bob');
    const groupId = await world.createGroup('Gone', [ada, bob]);
    world.mock.on(BatchWriteCommand).callsFake(writesNothing);
    const warn = vi.spyOn(logger, 'warn').mockImplementation(() => undefined);
    const reply = await world.send('DELETE', `/Groups/${groupId}`);
    expect(reply.status).toBe(204);
    expect(world.mock.commandCalls(BatchWriteCommand)).toHaveLength(8);
    expect(warn).toHaveBeenCalledWith(
      'group deleted; the table left some of its member items unprocessed',
      expect.objectContaining({ groupId, attempts: 8, unprocessed: 4 }),
    );
    // What a retry finds, and what readers see: no group, no membership of it.
    expect((await world.send('GET', `/Groups/${groupId}`)).status).toBe(404);
    expect(await world.real.groupsOfUser(world.connection.id, ada)).toEqual([]);
    const memberPartition = keys.membersPartition(world.connection.id, groupId);
    expect(await itemsIn([memberPartition])).toHaveLength(2);
    // The next user delete removes that user's leftover items.
    expect((await world.send('DELETE', `/Users/${ada}`)).status).toBe(204);
    expect(await itemsIn([keys.groupsOfUser(world.connection.id, ada)])).toEqual([]);
    expect((await itemsIn([memberPartition])).map((item) => item.sk)).toEqual([bob]);
  });
});

describe('the stream apply and the audit trail when a batch gives up', () => {
  function userRecord(connectionId: string, sequence: string): ChangeRecord {
    const user = aUser(connectionId);
    const item = runAudited({ actor: 'idp', ref: 'req-1' }, () => userItem(user));
    return {
      eventName: 'INSERT',
      eventID: `ev-${randomUUID()}`,
      dynamodb: {
        Keys: marshall(keys.user(connectionId, user.id)),
        SequenceNumber: sequence,
        ApproximateCreationDateTime: Math.floor(Date.now() / 1000),
        NewImage: marshall(item, { removeUndefinedValues: true }),
      },
    };
  }

  it('fails a membership unit whose read gives up, before any workspace call, so that the stream delivers it again', async () => {
    const { db, mock } = mocked();
    const connectionId = uniqueConnectionId('bb');
    const linked = { status: 'applied' as const, attempts: 0, appliedVersion: 1 };
    const user = aUser(connectionId, { apply: { ...linked, workspaceId: 'm-1' } });
    const group = aGroup(connectionId, { apply: { ...linked, workspaceId: 'g-1' } });
    const real = new DynamoLinkStore(testDb());
    await real.createUser(user);
    await real.createGroup(group, [{ groupId: group.id, userId: user.id }]);
    mock.on(BatchGetCommand).callsFake(readsNothing);
    const connectorFor = vi.fn(() => {
      throw new Error('no workspace call expected');
    });
    const connection: Connection = {
      id: connectionId,
      name: 'batch bounds',
      tokens: [],
      settings: { requireSamlOnly: false, workspace: { kind: 'builtin', workspaceId: 'unused' } },
    };
    const error = vi.spyOn(logger, 'error').mockImplementation(() => undefined);
    const memberAdded: ChangeRecord = {
      eventName: 'INSERT',
      eventID: `ev-${randomUUID()}`,
      dynamodb: {
        Keys: marshall(keys.member(connectionId, group.id, user.id)),
        SequenceNumber: '200',
        ApproximateCreationDateTime: Math.floor(Date.now() / 1000),
        NewImage: marshall({
          ...keys.member(connectionId, group.id, user.id),
          groupId: group.id,
          userId: user.id,
        }),
      },
    };
    const result = await applyStreamRecords(
      { store: new DynamoLinkStore(db), connectorFor, connection: async () => connection },
      [memberAdded],
    );
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: '200' }]);
    expect(mock.commandCalls(BatchGetCommand).length).toBeGreaterThanOrEqual(8);
    expect(connectorFor).not.toHaveBeenCalled();
    expect(error).toHaveBeenCalledWith(
      'apply failed; the stream delivers the record again',
      expect.objectContaining({ unit: 'members', error: 'UnprocessedReadsError' }),
    );
  });

  it('fails the whole batch when the audit write gives up, publishes nothing, and the batch again records every entry', async () => {
    const { db, mock } = mocked();
    mock.on(BatchWriteCommand).callsFake(writesNothing);
    const connectionId = uniqueConnectionId('bb');
    const records = [userRecord(connectionId, '100'), userRecord(connectionId, '101')];
    const publish = vi.fn(async () => undefined);
    const error = vi.spyOn(logger, 'error').mockImplementation(() => undefined);
    const deps = {
      store: new DynamoLinkStore(testDb()),
      connectorFor: () => {
        throw new Error('no workspace call expected');
      },
      // The connection is gone: the apply skips the records, the audit trail still records them.
      connection: async () => undefined,
    };
    const failed = await applyStreamRecords(
      { ...deps, audit: new AuditTrail(new AuditStore(db, 30), { publish }) },
      records,
    );
    expect(failed.batchItemFailures).toEqual([{ itemIdentifier: '100' }]);
    expect(mock.commandCalls(BatchWriteCommand)).toHaveLength(8);
    expect(publish).not.toHaveBeenCalled();
    expect(error).toHaveBeenCalledWith('audit trail failed; the stream delivers the batch again', {
      error: 'UnprocessedWritesError',
    });

    // Delivered again to a table that takes the writes: nothing was lost.
    const store = new AuditStore(testDb(), 30);
    const again = await applyStreamRecords({ ...deps, audit: new AuditTrail(store, { publish }) }, records);
    expect(again.batchItemFailures).toEqual([]);
    expect(publish).toHaveBeenCalledTimes(1);
    const entries = await store.query({ connectionId, since: new Date(Date.now() - 3_600_000) });
    expect(entries.map((entry) => entry.id).sort()).toEqual(records.map((r) => r.eventID).sort());
  });
});
