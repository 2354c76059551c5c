/**
 * Ids the workspace assigns while the plan runs. A grant to a member provisioned in the same run,
 * or to a group created in it, cannot name the workspace id when it is planned; it names the IdP
 * resource instead, and the apply step resolves it from the outcome that assigned it (or, after a
 * resume, from the outcomes recorded before the checkpoint). Keeping the plan one static list is
 * what lets it be printed, counted, refused and checkpointed like any other.
 */
const MEMBER = 'deferred:user:';
const GROUP = 'deferred:group:';

export function deferredMember(userId: string): string {
  return `${MEMBER}${userId}`;
}

export function deferredGroup(groupId: string): string {
  return `${GROUP}${groupId}`;
}

/** The IdP resource a deferred id waits for, or undefined for a real workspace id. */
export function deferredOf(id: string): { kind: 'User' | 'Group'; id: string } | undefined {
  if (id.startsWith(MEMBER)) return { kind: 'User', id: id.slice(MEMBER.length) };
  if (id.startsWith(GROUP)) return { kind: 'Group', id: id.slice(GROUP.length) };
  return undefined;
}
