/**
 * The apply function as `npm start`, the tests and the benchmark run it: the table's stream on
 * DynamoDB Local, read by the stream poller and handed to the same `applyStreamRecords` the Lambda
 * handler calls. `settle()` waits until everything committed so far has been applied (tests use it
 * where an IdP would simply wait); `start()` polls in the background, as the event source mapping
 * does on AWS.
 */
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { retryPending } from '../shared/apply/retry-pending';
import type { RetryCounts } from '../shared/apply/retry-pending';
import { applyStreamRecords } from '../shared/apply/stream-apply';
import type { StreamApplyDeps } from '../shared/apply/stream-apply';
import { logger } from '../shared/http/logger';
import type { Connection } from '../shared/secrets/connection';
import { dynamoClient } from '../shared/store/client';
import { StreamPoller } from './stream-poller';

export interface ApplyRunnerOptions {
  dynamodbEndpoint: string;
  table: string;
  deps: StreamApplyDeps;
  batchSize?: number;
  /** Every connection, for the retry pass (as the scheduled apply function lists them on AWS). */
  connections?: () => Promise<Connection[]>;
}

export class ApplyRunner {
  private poller: StreamPoller | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private retrying: Promise<unknown> = Promise.resolve();
  private ready: Promise<StreamPoller> | undefined;
  /** Records dropped after the last retry (on AWS: sent to the dead-letter queue). */
  dropped = 0;

  constructor(private readonly options: ApplyRunnerOptions) {}

  /** Positions the poller at the stream's end; what is committed after this is applied. */
  init(): Promise<StreamPoller> {
    this.ready ??= (async () => {
      const client = dynamoClient(this.options.dynamodbEndpoint);
      try {
        const { Table } = await client.send(new DescribeTableCommand({ TableName: this.options.table }));
        const streamArn = Table?.LatestStreamArn;
        if (!streamArn) {
          // In the tests only the files that declare the stream engine get tables with a stream.
          throw new Error(
            `table ${this.options.table} has no stream (a test file that runs the apply starts with \`// @vitest-environment stream-engine\`)`,
          );
        }
        const poller = new StreamPoller({
          endpoint: this.options.dynamodbEndpoint,
          streamArn,
          ...(this.options.batchSize !== undefined ? { batchSize: this.options.batchSize } : {}),
          handle: (records) => applyStreamRecords(this.options.deps, records),
          onDropped: (records) => {
            this.dropped += records.length;
            logger.error(
              'apply gave up on stream records after its retries (on AWS: the dead-letter queue)',
              {
                records: records.length,
              },
            );
          },
        });
        await poller.init();
        this.poller = poller;
        return poller;
      } finally {
        client.destroy();
      }
    })();
    return this.ready;
  }

  /** Stream batches handed to the apply so far. */
  get batches(): number {
    return this.poller?.batches ?? 0;
  }

  /** Applies everything committed so far. */
  async settle(): Promise<void> {
    await (await this.init()).drain();
  }

  /** Polls every `intervalMs` in the background, and runs the retry pass every `retryMs`. */
  async start(intervalMs = 100, retryMs = 2_000): Promise<void> {
    (await this.init()).start(intervalMs);
    if (!this.options.connections) return;
    const tick = () => {
      this.retrying = this.retry()
        .catch(() => undefined)
        .finally(() => {
          if (this.retryTimer) this.retryTimer = setTimeout(tick, retryMs);
        });
    };
    this.retryTimer = setTimeout(tick, retryMs);
  }

  /** One retry pass over every connection: what the schedule runs on AWS. */
  async retry(): Promise<RetryCounts> {
    const connections = (await this.options.connections?.()) ?? [];
    return retryPending(this.options.deps, connections);
  }

  async stop(): Promise<void> {
    const timer = this.retryTimer;
    this.retryTimer = undefined;
    if (timer) clearTimeout(timer);
    await this.retrying;
    await this.poller?.stop();
  }
}
