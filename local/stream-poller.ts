/**
 * Reads the table's stream on DynamoDB Local (which serves the Streams API) and feeds each batch to
 * the same handler the apply function runs on AWS, with the event source mapping's behaviour: records
 * of a shard in order, a partial batch failure delivered again from its first failed record a
 * bounded number of times, then dropped with an error line (on AWS: the dead-letter queue). The
 * resource stays pending either way, so the retry pass still applies it.
 *
 * Local only (`npm start`, tests, the benchmark): on AWS, Lambda's event source mapping polls.
 */
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { StreamBatchResult } from '../shared/apply/stream-apply';
import type { ChangeRecord } from '../shared/apply/stream-trigger';

export interface StreamPollerOptions {
  endpoint: string;
  streamArn: string;
  handle: (records: ChangeRecord[]) => Promise<StreamBatchResult>;
  /** Records per batch (the mapping's BatchSize); default 100. */
  batchSize?: number;
  /** Deliveries of a failing batch before it is dropped (the mapping's MaximumRetryAttempts). */
  maxRetries?: number;
  /** Where a dropped batch is reported. */
  onDropped?: (records: ChangeRecord[]) => void;
}

interface ShardCursor {
  iterator?: string;
  /** Records read but not yet handled successfully (a failed batch's tail). */
  held: ChangeRecord[];
}

export class StreamPoller {
  private readonly client: DynamoDBStreamsClient;
  private readonly shards = new Map<string, ShardCursor>();
  private readonly closed = new Set<string>();
  private chain: Promise<unknown> = Promise.resolve();
  private running: Promise<void> | undefined;
  private queued: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** Batches handled, for tests and the benchmark. */
  batches = 0;

  constructor(private readonly options: StreamPollerOptions) {
    this.client = new DynamoDBStreamsClient({
      endpoint: options.endpoint,
      region: process.env.AWS_REGION ?? 'local',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
  }

  /** Positions every open shard at its end: records written from now on are read. */
  async init(): Promise<void> {
    await this.discover('LATEST');
  }

  /**
   * Reads and handles everything written so far. Drains run one at a time, and callers that ask
   * while one runs share the next one (it starts after their writes), so twenty concurrent
   * writers cost two drains, not twenty in a row.
   */
  drain(): Promise<void> {
    if (!this.running) {
      const run = this.chain.then(() => this.drainNow());
      this.chain = run.catch(() => undefined);
      this.running = run;
      void run
        .catch(() => undefined)
        .finally(() => {
          if (this.running === run) this.running = undefined;
        });
      return run;
    }
    const current = this.running;
    this.queued ??= current
      .catch(() => undefined)
      .then(() => {
        this.queued = undefined;
        if (this.running === current) this.running = undefined;
        return this.drain();
      });
    return this.queued;
  }

  /** Drains every `intervalMs` until stopped. */
  start(intervalMs = 100): void {
    const tick = () => {
      if (this.stopped) return;
      this.drain()
        .catch(() => undefined)
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, intervalMs);
        });
    };
    this.timer = setTimeout(tick, intervalMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.chain;
    this.client.destroy();
  }

  private async drainNow(): Promise<void> {
    let closedOne = false;
    for (const [shardId, cursor] of this.shards) {
      for (;;) {
        if (cursor.held.length === 0) {
          if (!cursor.iterator) break;
          const out = await this.client.send(
            new GetRecordsCommand({ ShardIterator: cursor.iterator, Limit: this.options.batchSize ?? 100 }),
          );
          cursor.iterator = out.NextShardIterator;
          // The mapping's event filter on AWS (infra/stream-apply.ts): only the connections' `C#` keys.
          cursor.held = (out.Records ?? []).map(toChangeRecord).filter(mappedByFilter);
          if (cursor.held.length === 0 && !cursor.iterator) break;
          if (cursor.held.length === 0) {
            if ((out.Records ?? []).length === 0) break;
            continue;
          }
        }
        await this.deliver(cursor);
      }
      if (!cursor.iterator && cursor.held.length === 0) {
        this.shards.delete(shardId);
        this.closed.add(shardId);
        closedOne = true;
      }
    }
    // A shard closes when the stream rolls over: its children start where it ended.
    if (closedOne || this.shards.size === 0) await this.discover('TRIM_HORIZON');
  }

  /** Delivers the held records until they are handled, or drops them after the last retry. */
  private async deliver(cursor: ShardCursor): Promise<void> {
    const retries = this.options.maxRetries ?? 3;
    for (let attempt = 0; ; attempt++) {
      const batch = cursor.held;
      const result = await this.options.handle(batch).catch((): StreamBatchResult => ({
        batchItemFailures: [{ itemIdentifier: batch[0]?.dynamodb?.SequenceNumber ?? '' }],
      }));
      this.batches++;
      const failed = firstFailed(batch, result);
      if (failed === undefined) {
        cursor.held = [];
        return;
      }
      // Like the mapping: the batch is delivered again from its first failed record.
      cursor.held = batch.slice(failed);
      if (attempt >= retries) {
        this.options.onDropped?.(cursor.held);
        cursor.held = [];
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
    }
  }

  private async discover(position: 'LATEST' | 'TRIM_HORIZON'): Promise<void> {
    const { StreamDescription } = await this.client.send(
      new DescribeStreamCommand({ StreamArn: this.options.streamArn }),
    );
    for (const shard of StreamDescription?.Shards ?? []) {
      const shardId = shard.ShardId;
      if (!shardId || this.shards.has(shardId) || this.closed.has(shardId)) continue;
      // At start only the open shards matter; after a roll-over, read each new shard from its start.
      if (position === 'LATEST' && shard.SequenceNumberRange?.EndingSequenceNumber) {
        this.closed.add(shardId);
        continue;
      }
      const { ShardIterator } = await this.client.send(
        new GetShardIteratorCommand({
          StreamArn: this.options.streamArn,
          ShardId: shardId,
          ShardIteratorType: position,
        }),
      );
      this.shards.set(shardId, { iterator: ShardIterator, held: [] });
    }
  }
}

function firstFailed(batch: readonly ChangeRecord[], result: StreamBatchResult): number | undefined {
  if (result.batchItemFailures.length === 0) return undefined;
  const failed = new Set(result.batchItemFailures.map((failure) => failure.itemIdentifier));
  const index = batch.findIndex((record) => failed.has(record.dynamodb?.SequenceNumber ?? ''));
  return index === -1 ? 0 : index;
}

/** The Streams API's record as the Lambda event carries it (the fields the handler reads). */
function toChangeRecord(record: {
  eventName?: string;
  eventID?: string;
  dynamodb?: {
    ApproximateCreationDateTime?: Date;
    Keys?: Record<string, unknown>;
    NewImage?: Record<string, unknown>;
    OldImage?: Record<string, unknown>;
    SequenceNumber?: string;
  };
}): ChangeRecord {
  const images = (value: Record<string, unknown> | undefined) =>
    // The Streams client's AttributeValue has the same wire shape as the DynamoDB client's, except
    // that it reads an empty map (`{"M":{}}`) as `{}`: put it back, as Lambda's event has it.
    value === undefined
      ? undefined
      : (Object.fromEntries(Object.entries(value).map(([k, v]) => [k, repaired(v)])) as Record<
          string,
          AttributeValue
        >);
  return {
    ...(record.eventName !== undefined ? { eventName: record.eventName } : {}),
    ...(record.eventID !== undefined ? { eventID: record.eventID } : {}),
    dynamodb: {
      ...(record.dynamodb?.ApproximateCreationDateTime
        ? { ApproximateCreationDateTime: record.dynamodb.ApproximateCreationDateTime }
        : {}),
      ...(record.dynamodb?.Keys ? { Keys: images(record.dynamodb.Keys) } : {}),
      ...(record.dynamodb?.NewImage ? { NewImage: images(record.dynamodb.NewImage) } : {}),
      ...(record.dynamodb?.OldImage ? { OldImage: images(record.dynamodb.OldImage) } : {}),
      ...(record.dynamodb?.SequenceNumber ? { SequenceNumber: record.dynamodb.SequenceNumber } : {}),
    },
  };
}

function repaired(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const attribute = value as Record<string, unknown>;
  const keys = Object.keys(attribute);
  if (keys.length === 0) return { M: {} };
  if (attribute.M && typeof attribute.M === 'object')
    return {
      M: Object.fromEntries(
        Object.entries(attribute.M as Record<string, unknown>).map(([k, v]) => [k, repaired(v)]),
      ),
    };
  if (Array.isArray(attribute.L)) return { L: attribute.L.map(repaired) };
  return value;
}

/** What the apply's event source mapping passes on AWS: records whose partition key starts with `C#`. */
function mappedByFilter(record: ChangeRecord): boolean {
  const pk = record.dynamodb?.Keys?.pk;
  return pk === undefined || pk.S === undefined || pk.S.startsWith('C#');
}
