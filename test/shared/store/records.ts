/** Record builders for the store tests. */
import { randomUUID } from 'node:crypto';
import type { GroupRecord, UserRecord } from '../../../shared/store/record';

let clock = Date.parse('2024-01-01T00:00:00.000Z');
/** Strictly increasing instants, so creation order is the order of the calls. */
export function tick(): string {
  clock += 1;
  return new Date(clock).toISOString();
}

export function aUser(connectionId: string, overrides: Partial<UserRecord> = {}): UserRecord {
  const now = tick();
  const id = overrides.id ?? randomUUID();
  return {
    connectionId,
    id,
    userName: `user-${id.slice(0, 8)}@example.com`,
    active: true,
    emails: [],
    body: { name: { givenName: 'Ada', familyName: 'Lovelace' } },
    meta: { created: now, lastModified: now, version: 1 },
    apply: { status: 'applied', attempts: 0 },
    ...overrides,
  };
}

export function aGroup(connectionId: string, overrides: Partial<GroupRecord> = {}): GroupRecord {
  const now = tick();
  const id = overrides.id ?? randomUUID();
  return {
    connectionId,
    id,
    displayName: `group-${id.slice(0, 8)}`,
    body: {},
    memberCount: 0,
    meta: { created: now, lastModified: now, version: 1 },
    apply: { status: 'applied', attempts: 0 },
    ...overrides,
  };
}

/** The next version of a record, as an endpoint would write it. */
export function next<T extends UserRecord | GroupRecord>(record: T, changes: Partial<T> = {}): T {
  return {
    ...record,
    ...changes,
    meta: { ...record.meta, lastModified: tick(), version: record.meta.version + 1 },
  };
}
