/**
 * Where audit entries go besides the table: the port, and its EventBridge implementation (the
 * stack's `roster-<env>-audit` bus), so that a SIEM or a ticketing flow can subscribe with a rule.
 *
 * PutEvents takes at most 10 entries and 256 KB a call; entries it reports failed (throttled, an
 * internal error) are sent again with backoff a bounded number of times, and then the publish
 * throws, which fails the stream batch: the mapping delivers it again, and since the table write
 * is idempotent only the events can repeat (consumers dedupe on `detail.id`).
 *
 * `npm start` and the tests publish nowhere (`NO_PUBLISHER`): the entries are in the table.
 */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { AuditEntry } from './audit-entry';

export interface AuditPublisher {
  publish(entries: readonly AuditEntry[]): Promise<void>;
}

export const NO_PUBLISHER: AuditPublisher = { publish: async () => undefined };

export const MAX_ENTRIES_PER_CALL = 10;
export const MAX_BYTES_PER_CALL = 256 * 1024;

export class AuditPublishError extends Error {
  constructor(failed: number, code: string | undefined) {
    super(`EventBridge did not take ${failed} audit event(s) after retries (${code ?? 'unknown'})`);
    this.name = 'AuditPublishError';
  }
}

export interface EventBridgePublisherOptions {
  busName: string;
  /** `roster.<env>`, or `roster`. */
  source: string;
  client?: EventBridgeClient;
  /** Sends of the entries a call reported failed (default 3). */
  retries?: number;
  sleep?: (ms: number) => Promise<void>;
}

export class EventBridgePublisher implements AuditPublisher {
  private readonly client: EventBridgeClient;

  constructor(private readonly options: EventBridgePublisherOptions) {
    this.client = options.client ?? new EventBridgeClient({});
  }

  async publish(entries: readonly AuditEntry[]): Promise<void> {
    for (const batch of batches(entries.map((entry) => this.eventOf(entry)))) await this.send(batch);
  }

  eventOf(entry: AuditEntry): PutEventsRequestEntry {
    return {
      EventBusName: this.options.busName,
      Source: this.options.source,
      DetailType: entry.type,
      Detail: JSON.stringify(entry),
      Time: new Date(entry.at),
    };
  }

  private async send(batch: PutEventsRequestEntry[]): Promise<void> {
    const retries = this.options.retries ?? 3;
    const sleep = this.options.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
    let pending = batch;
    for (let attempt = 0; ; attempt++) {
      const out = await this.client.send(new PutEventsCommand({ Entries: pending }));
      if (!out.FailedEntryCount) return;
      // Results come back in the order of the entries sent; those with an error code failed.
      const results = out.Entries ?? [];
      const failed = pending.filter((_, index) => results[index]?.ErrorCode !== undefined);
      const code = results.find((result) => result.ErrorCode !== undefined)?.ErrorCode;
      if (failed.length === 0) return;
      if (attempt >= retries) throw new AuditPublishError(failed.length, code);
      pending = failed;
      await sleep(100 * 2 ** attempt);
    }
  }
}

/** Groups of at most 10 entries and 256 KB (EventBridge's size of an entry: its strings' bytes). */
export function batches(events: readonly PutEventsRequestEntry[]): PutEventsRequestEntry[][] {
  const out: PutEventsRequestEntry[][] = [];
  let current: PutEventsRequestEntry[] = [];
  let bytes = 0;
  for (const event of events) {
    const size = sizeOf(event);
    if (current.length > 0 && (current.length >= MAX_ENTRIES_PER_CALL || bytes + size > MAX_BYTES_PER_CALL)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(event);
    bytes += size;
  }
  if (current.length > 0) out.push(current);
  return out;
}

function sizeOf(event: PutEventsRequestEntry): number {
  const text = [event.Source, event.DetailType, event.Detail, event.EventBusName]
    .map((part) => Buffer.byteLength(part ?? ''))
    .reduce((sum, n) => sum + n, 0);
  // The time counts 14 bytes.
  return text + 14;
}
