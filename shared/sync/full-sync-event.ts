/**
 * What the full-sync function accepts. The schedule sends `{}` (every connection); an operator or
 * the CLI sends `{ connectionId, dryRun }` or `{ connectionId, approve: runId }`; the function
 * itself sends `{ connectionId, resume: runId }` to continue a checkpointed run.
 */
import type { KindCounts, RunStatus } from './sync-run';

export interface FullSyncEvent {
  connectionId?: string;
  dryRun?: boolean;
  approve?: string;
  resume?: string;
}

export interface RunSummary {
  connectionId: string;
  runId?: string;
  status: RunStatus | 'overlapping' | 'deferred' | 'approved';
  totals?: KindCounts;
  /** Open access incidents of the connection when the run ended. */
  accessNotRemoved?: number;
  errors?: string[];
}

/** Validates an untrusted event; unknown fields are ignored. */
export function parseFullSyncEvent(event: unknown): FullSyncEvent {
  const input = (typeof event === 'object' && event !== null ? event : {}) as Record<string, unknown>;
  const parsed: FullSyncEvent = {};
  for (const key of ['connectionId', 'approve', 'resume'] as const) {
    const value = input[key];
    if (value === undefined) continue;
    if (typeof value !== 'string' || value === '') throw new Error(`${key} must be a non-empty string`);
    parsed[key] = value;
  }
  if (input.dryRun !== undefined) {
    if (typeof input.dryRun !== 'boolean') throw new Error('dryRun must be a boolean');
    parsed.dryRun = input.dryRun;
  }
  if ((parsed.approve !== undefined || parsed.resume !== undefined) && parsed.connectionId === undefined) {
    throw new Error('approve and resume need a connectionId');
  }
  return parsed;
}
