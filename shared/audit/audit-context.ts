/**
 * Who is writing, for the audit trail: the SCIM endpoints (`idp`, with the request id), the full
 * sync (`sync`, with the run id), the operator CLI (`operator`, with the command) and the
 * stream-fed apply (`apply`). Kept in an AsyncLocalStorage context set once by each entry point,
 * and read by the store's item builders, which stamp every item they write with it (`audit`), so
 * the stream record of the write carries who made it and why, in the same transaction and without
 * a call of its own. A write outside any context is stamped `system`.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export const AUDIT_ACTORS = ['idp', 'sync', 'operator', 'apply', 'system'] as const;
export type AuditActor = (typeof AUDIT_ACTORS)[number];

export interface AuditContext {
  actor: AuditActor;
  /** The request id, the sync run id, or the CLI command. */
  ref?: string;
}

/** What the store writes on an item (`audit`): who, why, when. */
export interface AuditStamp extends AuditContext {
  /** ISO-8601 instant of the write. */
  at: string;
}

const storage = new AsyncLocalStorage<AuditContext>();
let processDefault: AuditContext = { actor: 'system' };

/**
 * The writer of everything outside a `runAudited` context in this process: the CLI runs one
 * command per process and sets it once (`operator`, the command), before the command's action.
 */
export function setDefaultAuditContext(context: AuditContext): void {
  processDefault = { ...context };
}

/** Runs `fn` with `context` as the writer of everything it stores (an inner call overrides). */
export function runAudited<T>(context: AuditContext, fn: () => T): T {
  return storage.run({ ...context }, fn);
}

/** The current writer; the process default (`system` unless set) outside any context. */
export function auditContext(): AuditContext {
  return storage.getStore() ?? processDefault;
}

/** The stamp for a write made now. */
export function auditStamp(now = new Date()): AuditStamp {
  const { actor, ref } = auditContext();
  return { actor, ...(ref !== undefined ? { ref } : {}), at: now.toISOString() };
}

/** At most this many member ids of each direction ride on a group's stamp; the counts are exact. */
export const MAX_STAMPED_MEMBERS = 100;

/** A group's stamp also says which members its write added and removed. */
export interface GroupAuditStamp extends AuditStamp {
  added?: string[];
  removed?: string[];
  addedCount?: number;
  removedCount?: number;
}

export function groupAuditStamp(
  added: readonly string[] = [],
  removed: readonly string[] = [],
  now = new Date(),
): GroupAuditStamp {
  return {
    ...auditStamp(now),
    ...(added.length > 0 ? { added: added.slice(0, MAX_STAMPED_MEMBERS), addedCount: added.length } : {}),
    ...(removed.length > 0
      ? { removed: removed.slice(0, MAX_STAMPED_MEMBERS), removedCount: removed.length }
      : {}),
  };
}
