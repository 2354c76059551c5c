/**
 * What the apply function does with each stream batch for the audit trail: one entry per record
 * that changed desired state or the workspace (derive.ts), written to the table (audit-store.ts)
 * and published (audit-publisher.ts). Both are idempotent on the record's event id (the table) or
 * deduplicated by it (EventBridge consumers), so a batch delivered again is harmless.
 */
import type { ChangeRecord } from '../apply/stream-trigger';
import type { AuditEntry } from './audit-entry';
import type { AuditPublisher } from './audit-publisher';
import type { AuditStore } from './audit-store';
import { auditEntriesOf } from './derive';

export class AuditTrail {
  constructor(
    private readonly store: AuditStore,
    private readonly publisher: AuditPublisher,
  ) {}

  /** The entries written and published. */
  async record(records: readonly ChangeRecord[]): Promise<AuditEntry[]> {
    const entries = records.flatMap(auditEntriesOf);
    if (entries.length === 0) return [];
    await this.store.write(entries);
    await this.publisher.publish(entries);
    return entries;
  }
}
