/**
 * The apply function as `npm start`, the tests and the benchmark run it: the table's stream on
 * DynamoDB Local, read by the stream poller and handed to the same `applyStreamRecords` the Lambda
 * handler calls. `settle()` waits until everything committed so far has been applied (tests use it
 * where an IdP would simply wait); `start()` polls in the background, as the event source mapping
 * does on AWS.
 */
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { applyStreamRecords } from '../shared/apply/stream-apply';
import type { StreamApplyDeps } from '../shared/apply/stream-apply';
import { logger } from '../shared/http/logger';
import { dynamoClient } from '../shared/store/client';
import { StreamPoller } from './stream-poller';

export interface ApplyRunnerOptions {
  dynamodbEndpoint: string;
  table: string;
  deps: StreamApplyDeps;
  batchSize?: number;
}

export class ApplyRunner {
  private poller: StreamPoller | undefined;
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
        if (!streamArn) throw new Error(`table ${this.options.table} has no stream`);
        const poller = new StreamPoller({
          endpoint: this.options.dynamodbEndpoint,
          streamArn,
          ...(this.options.batchSize !== undefined ? { batchSize: this.options.batchSize } : {}),
          handle: (records) => applyStreamRecords(this.options.deps, records),
          onDropped: (records) => {
            this.dropped += records.length;
            logger.error('apply gave up on stream records after its retries (on AWS: the dead-letter queue)', {
              records: records.length,
            });
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

  /** Applies everything committed so far. */
  async settle(): Promise<void> {
    await (await this.init()).drain();
  }

  /** Polls every `intervalMs` in the background. */
  async start(intervalMs = 100): Promise<void> {
    (await this.init()).start(intervalMs);
  }

  async stop(): Promise<void> {
    await this.poller?.stop();
  }
}
