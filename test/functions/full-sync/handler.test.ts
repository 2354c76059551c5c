// @vitest-environment stream-engine
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DynamoConnectionDirectory } from '../../../shared/secrets/dynamo-connection-directory';
import { createBuiltinWorkspace } from '../../../shared/workspace/builtin/create-builtin-workspace';
import { flakyWorkspace } from '../../../shared/workspace/flaky-workspace';
import { testDb, uniqueConnectionId } from '../../support/db';
import { harness } from '../../shared/provisioning/scim-harness';

const lambda = mockClient(LambdaClient);

beforeAll(() => {
  process.env.AWS_LAMBDA_FUNCTION_NAME = 'roster-test-full-sync';
  process.env.SYNC_BATCH_SIZE = '2';
});

afterEach(() => lambda.reset());

function context(remaining: () => number): Context {
  return { getRemainingTimeInMillis: remaining } as unknown as Context;
}

async function pendingConnection(users: number): Promise<{ connectionId: string }> {
  const db = testDb();
  const workspaceId = uniqueConnectionId('ws');
  const workspace = await createBuiltinWorkspace(db, workspaceId);
  await workspace.insertMember({ email: 'owner@example.com', name: 'Owner', admin: true }, false);
  // SCIM writes while the workspace is down leave every user not yet applied.
  const h = harness(flakyWorkspace(workspace, { failing: () => true }), {
    workspace: { kind: 'builtin', workspaceId },
  });
  for (let i = 0; i < users; i++) await h.createUser(`handler.${i}@example.com`);
  await new DynamoConnectionDirectory().create({
    id: h.connection.id,
    settings: { requireSamlOnly: false, workspace: { kind: 'builtin', workspaceId } },
  });
  return { connectionId: h.connection.id };
}

describe('full-sync handler', () => {
  it('re-invokes itself asynchronously with the run to resume when it reaches its checkpoint', async () => {
    const { handler } = await import('../../../functions/full-sync/handler');
    const { connectionId } = await pendingConnection(3);
    lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
    let calls = 0;

    const first = await handler(
      { connectionId },
      context(() => (++calls <= 1 ? 600_000 : 1_000)),
    );

    expect(first.runs).toEqual([expect.objectContaining({ connectionId, status: 'checkpointed' })]);
    const invokes = lambda.commandCalls(InvokeCommand);
    expect(invokes).toHaveLength(1);
    const input = invokes[0]?.args[0].input;
    expect(input?.FunctionName).toBe('roster-test-full-sync');
    expect(input?.InvocationType).toBe('Event');
    const payload = JSON.parse(new TextDecoder().decode(input?.Payload as Uint8Array)) as Record<
      string,
      string
    >;
    expect(payload).toEqual({ connectionId, resume: first.runs[0]?.runId });

    const second = await handler(
      payload,
      context(() => 600_000),
    );

    expect(second.runs).toEqual([
      expect.objectContaining({ connectionId, status: 'completed', runId: payload.resume }),
    ]);
    expect(second.runs[0]?.totals).toMatchObject({ failed: 0, applied: 6 });
    expect(lambda.commandCalls(InvokeCommand)).toHaveLength(1);
  });

  it('answers a dry run without re-invoking and refuses a malformed event', async () => {
    const { handler } = await import('../../../functions/full-sync/handler');
    const { connectionId } = await pendingConnection(1);

    const out = await handler(
      { connectionId, dryRun: true },
      context(() => 600_000),
    );

    expect(out.runs[0]).toMatchObject({ status: 'completed', totals: { planned: 2, applied: 0 } });
    expect(lambda.commandCalls(InvokeCommand)).toHaveLength(0);
    await expect(
      handler(
        { resume: 'x' },
        context(() => 600_000),
      ),
    ).rejects.toThrow(/need a connectionId/);
  });
});
