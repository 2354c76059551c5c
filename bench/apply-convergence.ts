/**
 * Whether, and how soon, the workspace came to hold every change a push was answered for: a user's
 * account and a member's grant, as the bench's apply clock saw the connector take them; and the
 * resources still pending for the retry pass.
 */
import type { DynamoLinkStore } from '../shared/store/dynamo-link-store';
import { ApplyClock } from './apply-clock';
import { Latencies } from './latency';
import type { PushAnswers } from './push-load';

/** Every change the answers stand for: one account per user, one grant per membership. */
export function changeCount(answers: PushAnswers): number {
  return answers.users.size + answers.memberAnswered.size;
}

/** Waits until the clock has seen as many changes as the answers hold, or `deadline`; answers the time. */
export async function waitForApply(
  clock: ApplyClock,
  answers: PushAnswers,
  deadline: number,
): Promise<number> {
  const changes = changeCount(answers);
  while (clock.provisioned.size + clock.granted.size < changes && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return performance.now();
}

export interface ApplyFigures {
  changes: number;
  /** Changes answered that the workspace does not hold. */
  missing: number;
  /** From each change's SCIM answer to the workspace taking it. */
  latencies: Latencies;
}

/** Per change, whether the workspace holds it and how long after its answer it took it. */
export async function applyFigures(
  clock: ApplyClock,
  store: DynamoLinkStore,
  connectionId: string,
  answers: PushAnswers,
): Promise<ApplyFigures> {
  const latencies = new Latencies();
  let missing = 0;
  const memberOf = new Map<number, string>();
  for (const [i, user] of answers.users) {
    const at = clock.provisioned.get(user.email);
    if (at === undefined) missing++;
    else latencies.add(Math.max(0, at - user.answered));
    const workspaceId = (await store.getUser(connectionId, user.id))?.apply.workspaceId;
    if (workspaceId !== undefined) memberOf.set(i, workspaceId);
  }
  const workspaceGroupOf = new Map<number, string>();
  for (const [g, id] of answers.groups) {
    const workspaceId = (await store.getGroup(connectionId, id))?.apply.workspaceId;
    if (workspaceId !== undefined) workspaceGroupOf.set(g, workspaceId);
  }
  for (const [key, answered] of answers.memberAnswered) {
    const [g, u] = key.split(' ').map(Number) as [number, number];
    const group = workspaceGroupOf.get(g);
    const member = memberOf.get(u);
    const at =
      group !== undefined && member !== undefined
        ? clock.granted.get(ApplyClock.grantKey(group, member))
        : undefined;
    if (at === undefined) missing++;
    else latencies.add(Math.max(0, at - answered));
  }
  return { changes: changeCount(answers), missing, latencies };
}

/** The connection's resources the workspace has not taken yet (left for the retry pass). */
export async function countPending(store: DynamoLinkStore, connectionId: string): Promise<number> {
  let pending = 0;
  let cursor: string | undefined;
  do {
    const page = await store.listPending(connectionId, { limit: 1000, ...(cursor ? { cursor } : {}) });
    pending += page.items.length;
    cursor = page.cursor;
  } while (cursor !== undefined);
  return pending;
}
