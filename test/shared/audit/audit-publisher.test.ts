import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../shared/audit/audit-entry';
import { AuditPublishError, batches, EventBridgePublisher } from '../../../shared/audit/audit-publisher';

const eventBridge = mockClient(EventBridgeClient);

function anEntry(n: number, extra: Partial<AuditEntry> = {}): AuditEntry {
  return {
    id: `ev-${n}`,
    at: '2024-05-01T10:00:00.000Z',
    connectionId: 'conn-a',
    type: 'Roster User Changed',
    action: 'created',
    actor: 'idp',
    ref: `req-${n}`,
    object: { kind: 'User', id: `u-${n}` },
    changes: [],
    ...extra,
  };
}

const publisher = (retries = 3) =>
  new EventBridgePublisher({
    busName: 'roster-dev-audit',
    source: 'roster.dev',
    client: new EventBridgeClient({ region: 'eu-west-1' }),
    retries,
    sleep: async () => undefined,
  });

describe('the EventBridge audit publisher', () => {
  beforeEach(() => eventBridge.reset());

  it('sends 25 entries in 3 PutEvents calls of at most 10, on the bus, with the detail-type', async () => {
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [] });
    await publisher().publish(Array.from({ length: 25 }, (_, n) => anEntry(n)));
    const calls = eventBridge.commandCalls(PutEventsCommand);
    expect(calls.map((call) => call.args[0].input.Entries?.length)).toEqual([10, 10, 5]);
    const first = calls[0]?.args[0].input.Entries?.[0];
    expect(first).toMatchObject({
      EventBusName: 'roster-dev-audit',
      Source: 'roster.dev',
      DetailType: 'Roster User Changed',
    });
    expect(JSON.parse(first?.Detail ?? '{}')).toMatchObject({ id: 'ev-0', ref: 'req-0' });
  });

  it('keeps a call under 256 KB', () => {
    const big = 'x'.repeat(100 * 1024);
    const events = [0, 1, 2].map((n) =>
      publisher().eventOf(anEntry(n, { changes: [{ attribute: 'body.title', after: big }] })),
    );
    expect(batches(events).map((batch) => batch.length)).toEqual([2, 1]);
  });

  it('sends the entries reported failed again, and only those', async () => {
    eventBridge
      .on(PutEventsCommand)
      .resolvesOnce({
        FailedEntryCount: 2,
        Entries: [{ EventId: '1' }, { ErrorCode: 'ThrottlingException' }, { ErrorCode: 'InternalFailure' }],
      })
      .resolves({ FailedEntryCount: 0, Entries: [{ EventId: '2' }, { EventId: '3' }] });
    await publisher().publish([anEntry(1), anEntry(2), anEntry(3)]);
    const calls = eventBridge.commandCalls(PutEventsCommand);
    expect(calls).toHaveLength(2);
    expect(calls[1]?.args[0].input.Entries?.map((e) => JSON.parse(e.Detail ?? '{}').id)).toEqual([
      'ev-2',
      'ev-3',
    ]);
  });

  it('throws once the retries are spent, so the stream batch fails and is delivered again', async () => {
    eventBridge
      .on(PutEventsCommand)
      .resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'ThrottlingException' }] });
    await expect(publisher(2).publish([anEntry(1)])).rejects.toThrow(AuditPublishError);
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(3);
  });
});
