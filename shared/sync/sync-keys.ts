/**
 * Keys of the sync's own items, in the link-state table under the connection's scope
 * (`C#<connectionId>#SYNC#…`), so one connection's runs can never be read through another's id.
 *
 * - the lease: one item per connection;
 * - runs: one header item per run in the connection's run list, sorted by run id (time-ordered);
 * - a run's plan, outcomes and observations, and what a sharded run spilled of its reads: chunks
 *   in the run's own partition;
 * - the approval: one item per connection, consumed by the run it lets through.
 */
const scope = (connectionId: string) => `C#${connectionId}#SYNC#`;
const pad = (n: number) => String(n).padStart(6, '0');

/** `SHARD#…`: what a sharded sync spilled of its reads, per shard and stream (spill.ts). */
export type ChunkKind = 'CHANGES' | 'OUTCOMES' | 'OBSERVATIONS' | `SHARD#${string}`;

export const syncKeys = {
  lease: (connectionId: string) => ({ pk: `${scope(connectionId)}LEASE`, sk: '#' }),
  approval: (connectionId: string) => ({ pk: `${scope(connectionId)}APPROVAL`, sk: '#' }),
  runs: (connectionId: string) => `${scope(connectionId)}RUNS`,
  run: (connectionId: string, runId: string) => ({ pk: syncKeys.runs(connectionId), sk: runId }),
  chunk: (connectionId: string, runId: string, kind: ChunkKind, index: number) => ({
    pk: `${scope(connectionId)}RUN#${runId}`,
    sk: `${kind}#${pad(index)}`,
  }),
};
