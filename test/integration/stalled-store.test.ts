/**
 * DynamoDB stalls (its JVM stopped with SIGSTOP, the test's own DynamoDB Local so that no other
 * test is held up): every request answers within its budget with 503, Retry-After and a SCIM
 * error body. After SIGCONT the writes that were in flight may still commit; the IdP's retries of
 * the same creates then answer 201 (the create, or its replay), never 409, and nothing is lost or
 * duplicated.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { QueryCommand, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDynamoLocal } from '../../local/dynamo-local';
import type { DynamoLocal } from '../../local/dynamo-local';
import { dynamoClient } from '../../shared/store/client';
import { ensureTable } from '../../shared/store/create-table';
import { DynamoLinkStore } from '../../shared/store/dynamo-link-store';
import { testDb } from '../support/db';
import { newTenant, startScimApp } from '../support/scim-app';
import type { Tenant } from '../support/scim-app';
import { createGroup, createUser, scimClient, userBody } from './scim-client';
import type { Reply, ScimClient } from './scim-client';

const BUDGET_MS = 2500;

let dynamo: DynamoLocal;
let app: Awaited<ReturnType<typeof startScimApp>>;
let tenant: Tenant;
let client: ScimClient;

const OVERRIDDEN = [
  'DYNAMODB_ENDPOINT',
  'ROSTER_TABLE',
  'ROSTER_AWS_CONNECT_TIMEOUT_MS',
  'ROSTER_AWS_REQUEST_TIMEOUT_MS',
  'ROSTER_AWS_MAX_ATTEMPTS',
  'ROSTER_REQUEST_BUDGET_MS',
] as const;
const saved = Object.fromEntries(OVERRIDDEN.map((key) => [key, process.env[key]]));

beforeAll(async () => {
  dynamo = await startDynamoLocal();
  // This file's process talks to its own DynamoDB Local, with short bounds so the test is quick.
  process.env.DYNAMODB_ENDPOINT = dynamo.endpoint;
  process.env.ROSTER_TABLE = 'roster-stall';
  process.env.ROSTER_AWS_CONNECT_TIMEOUT_MS = '300';
  process.env.ROSTER_AWS_REQUEST_TIMEOUT_MS = '600';
  process.env.ROSTER_AWS_MAX_ATTEMPTS = '2';
  process.env.ROSTER_REQUEST_BUDGET_MS = String(BUDGET_MS);
  const setup = dynamoClient(dynamo.endpoint);
  await ensureTable(setup, 'roster-stall');
  // A fresh engine answers its first calls slowly (class loading, JIT), slower still on a loaded
  // machine: warmed with the default bounds, the short ones time out only where the test stalls it.
  await warm(setup, 'roster-stall');
  setup.destroy();
  app = await startScimApp();
  tenant = await newTenant();
  client = scimClient(app.baseUrl, tenant.token);
}, 120_000);

afterAll(async () => {
  await app?.close();
  await dynamo?.stop();
  for (const key of OVERRIDDEN) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
});

async function warm(client: DynamoDBClient, table: string): Promise<void> {
  for (let i = 0; i < 40; i++) {
    const key = (sk: string) => ({ pk: { S: `warm#${i}` }, sk: { S: sk } });
    await client.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          { Put: { TableName: table, Item: key('a') } },
          { Put: { TableName: table, Item: key('b') } },
        ],
      }),
    );
    await client.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: `warm#${i}` } },
      }),
    );
  }
}

function stall(signal: 'SIGSTOP' | 'SIGCONT'): void {
  process.kill(-(dynamo.pid as number), signal);
}

async function timed(send: () => Promise<Reply>): Promise<{ reply: Reply; ms: number }> {
  const started = Date.now();
  const reply = await send();
  return { reply, ms: Date.now() - started };
}

describe('a stalled DynamoDB', () => {
  it('answers every request within the budget with 503, and loses or duplicates nothing after recovery', async () => {
    const alice = await createUser(client, 'stall.alice@example.com');
    const group = await createGroup(client, 'Stalled', [alice]);
    const creates = ['one', 'two', 'three', 'four'].map((name) => userBody(`stall.${name}@example.com`));

    stall('SIGSTOP');
    let replies: { reply: Reply; ms: number }[];
    try {
      replies = await Promise.all([
        ...creates.map((body) => timed(() => client.post('/Users', body))),
        timed(() => client.get(`/Users/${alice}`)),
        timed(() => client.get(`/Groups/${group}`)),
        timed(() => client.get('/Users?count=5')),
        timed(() => client.patch(`/Users/${alice}`, [{ op: 'replace', path: 'displayName', value: 'A' }])),
        timed(() =>
          client.patch(`/Groups/${group}`, [{ op: 'remove', path: `members[value eq "${alice}"]` }]),
        ),
        timed(() => client.del(`/Groups/${group}`)),
      ]);
    } finally {
      stall('SIGCONT');
    }
    for (const { reply, ms } of replies) {
      expect(reply.status, reply.text).toBe(503);
      expect(reply.headers.get('retry-after')).toBe('5');
      expect(reply.json.schemas).toEqual(['urn:ietf:params:scim:api:messages:2.0:Error']);
      // Within the budget, with room for a loaded machine; never API Gateway's 29 s.
      expect(ms).toBeLessThan(BUDGET_MS + 5000);
    }

    // Writes that reached the JVM before it stopped may commit now; let them land.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    // The IdP retries every create: each is created, or answered as the replay it is.
    for (const body of creates) {
      const retry = await client.post('/Users', body);
      expect(retry.status, retry.text).toBe(201);
    }
    const store = new DynamoLinkStore(testDb());
    expect(await store.countUsers(tenant.connectionId)).toBe(5);
    for (const body of creates) {
      expect(await store.findUserByUserName(tenant.connectionId, String(body.userName))).toBeDefined();
    }
    // The group is as the commands that did commit left it, and consistent with its count.
    const stored = await store.getGroup(tenant.connectionId, group);
    if (stored) {
      const members = await store.listMembers(tenant.connectionId, group, { limit: 100 });
      expect(members.members.length).toBe(stored.memberCount);
    }
  }, 120_000);
});
