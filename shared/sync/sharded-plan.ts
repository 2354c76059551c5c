/**
 * The full sync's plan, shard by shard (pure). A shard (shard.ts) holds the members, users, grants
 * and memberships of one slice of emails, and every group; `planShard` plans it as the whole plan
 * would, and this module puts the shards' plans together so that the result is the whole plan's:
 * the same changes, observations, held changes and takeovers (the order within a phase aside).
 *
 * - Shard GROUP_SHARD plans last and alone plans groups themselves; the groups other shards held
 *   changes of are passed to it, so that it does not also record them as held with nothing planned.
 * - Held observations are tallied across shards: a group held in several shards is one line.
 * - Changes are put in phase order across shards (members of every shard, then groups, then grants,
 *   then removals), which keeps the whole plan's order between phases.
 *
 * The sync (sharded-sync.ts) runs the same steps with each shard read from and written to the
 * table; `planSharded` is the in-memory composition, which the tests hold to `planSync`.
 */
import type { Change, Observation } from '../provisioning/change';
import type { DesiredState } from './desired';
import type { HeldTally } from './held-tally';
import { tallyHeld, tallyObservations } from './held-tally';
import type { ObservedWorkspace } from './observed';
import type { HeldChange, PlanOptions, SyncPlan } from './plan';
import { PHASE, planShard } from './plan';
import { GROUP_SHARD } from './shard';

export interface ShardWorld {
  observed: ObservedWorkspace;
  desired: DesiredState;
}

/** The order shards are planned in: GROUP_SHARD last. */
export function planningOrder(shards: number): number[] {
  const order: number[] = [];
  for (let shard = 0; shard < shards; shard++) if (shard !== GROUP_SHARD) order.push(shard);
  order.push(GROUP_SHARD);
  return order;
}

export interface ShardPlan {
  /** The shard's changes per phase (PHASE: 0 members, 1 groups, 2 grants, 3 removals). */
  phases: Change[][];
  /** The shard's observations, with the held observations of its users. */
  observations: Observation[];
  held: HeldChange[];
  /** Held groups: tallied across shards, observed once the last shard is planned. */
  groupTally: HeldTally[];
  /** Groups this shard held changes of. */
  groupsHeld: string[];
  takeovers: SyncPlan['takeovers'];
}

export function planOneShard(
  world: ShardWorld,
  shard: number,
  options: PlanOptions,
  groupsHeldElsewhere: ReadonlySet<string>,
): ShardPlan {
  const plan = planShard(world.observed, world.desired, {
    ...options,
    groupLevel: shard === GROUP_SHARD,
    groupsHeldElsewhere,
  });
  const phases: Change[][] = [[], [], [], []];
  for (const change of plan.changes) phases[PHASE[change.kind]]?.push(change);
  const userHeld = plan.held.filter((entry) => entry.subject.kind === 'user');
  const groupHeld = plan.held.filter((entry) => entry.subject.kind === 'group');
  const groupsHeld = new Set<string>();
  for (const entry of groupHeld) if (entry.change) groupsHeld.add(entry.subject.id);
  return {
    phases,
    observations: [...plan.observations, ...tallyObservations(tallyHeld(userHeld).values())],
    held: plan.held,
    groupTally: [...tallyHeld(groupHeld).values()],
    groupsHeld: [...groupsHeld],
    takeovers: plan.takeovers,
  };
}

/** Adds one shard's group tallies to the run's. */
export function addGroupTally(into: Map<string, HeldTally>, tallies: readonly HeldTally[]): void {
  for (const tally of tallies) {
    const key = `${tally.reason}:${tally.kind}:${tally.id}`;
    const seen = into.get(key);
    if (seen) seen.changes += tally.changes;
    else into.set(key, { ...tally });
  }
}

/** The whole plan from its shards, in memory: what the sharded sync computes through the table. */
export function planSharded(worlds: readonly ShardWorld[], options: PlanOptions): SyncPlan {
  const plans = new Map<number, ShardPlan>();
  const groupsHeld = new Set<string>();
  const groupTally = new Map<string, HeldTally>();
  for (const shard of planningOrder(worlds.length)) {
    const world = worlds[shard];
    if (!world) throw new Error(`no shard ${shard}`);
    const plan = planOneShard(world, shard, options, groupsHeld);
    for (const id of plan.groupsHeld) groupsHeld.add(id);
    addGroupTally(groupTally, plan.groupTally);
    plans.set(shard, plan);
  }
  const changes: Change[] = [];
  for (let phase = 0; phase < 4; phase++) {
    for (let shard = 0; shard < worlds.length; shard++)
      changes.push(...(plans.get(shard)?.phases[phase] ?? []));
  }
  const all = [...plans.values()];
  return {
    changes,
    observations: [...all.flatMap((plan) => plan.observations), ...tallyObservations(groupTally.values())],
    held: all.flatMap((plan) => plan.held),
    takeovers: all.flatMap((plan) => plan.takeovers),
  };
}
