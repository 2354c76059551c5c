/**
 * What the rollout settings held back, counted per resource and reason for the report: one
 * observation per held resource and reason, with ids and counts only. A tally can be added to
 * shard by shard (sharded-plan.ts), so that a group held in several shards is still one line.
 */
import type { Observation } from '../provisioning/change';
import type { HoldReason } from '../provisioning/rollout-scope';
import { HOLD_TEXT } from '../provisioning/rollout-scope';
import type { HeldChange } from './plan';

export interface HeldTally {
  reason: HoldReason;
  kind: 'user' | 'group';
  id: string;
  /** Changes held for it (0: held whole, nothing planned). */
  changes: number;
}

/** Adds `held` to `into` (keyed by reason, kind and id, in order of first appearance). */
export function tallyHeld(
  held: readonly HeldChange[],
  into: Map<string, HeldTally> = new Map(),
): Map<string, HeldTally> {
  for (const entry of held) {
    const { reason, subject } = entry;
    const key = `${reason}:${subject.kind}:${subject.id}`;
    let tally = into.get(key);
    if (!tally) into.set(key, (tally = { reason, kind: subject.kind, id: subject.id, changes: 0 }));
    if (entry.change) tally.changes++;
  }
  return into;
}

export function tallyObservations(tallies: Iterable<HeldTally>): Observation[] {
  const out: Observation[] = [];
  for (const { reason, kind, id, changes } of tallies) {
    out.push({
      kind: 'held',
      objectId: id,
      ...(kind === 'user' ? { userId: id } : { groupId: id }),
      detail: `${HOLD_TEXT[reason]} (${changes} change(s) not applied)`,
    });
  }
  return out;
}
