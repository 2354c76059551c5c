/**
 * When the workspace took each change: wraps the connector the bench's apply runs with and notes
 * the time a member was provisioned (by e-mail) and a grant landed (by workspace group and member).
 * The push compares those times with the SCIM answers to measure the apply latency: from the
 * IdP's answer to the workspace holding the change.
 */
import type { WorkspaceConnector } from '../shared/workspace/port';

export class ApplyClock {
  readonly provisioned = new Map<string, number>();
  readonly granted = new Map<string, number>();

  static grantKey(workspaceGroupId: string, memberId: string): string {
    return `${workspaceGroupId} ${memberId}`;
  }

  /** The connector, with every successful provision and grant timed (the first time only). */
  wrap(connector: WorkspaceConnector): WorkspaceConnector {
    const note = (map: Map<string, number>, key: string) => {
      if (!map.has(key)) map.set(key, performance.now());
    };
    return new Proxy(connector, {
      get: (target, property, receiver) => {
        const value: unknown = Reflect.get(target, property, receiver);
        if (typeof value !== 'function') return value;
        const call = (...args: unknown[]) => (value as (...a: unknown[]) => unknown).apply(target, args);
        switch (property) {
          case 'provisionMember':
            return async (member: { email: string }) => {
              const result = await call(member);
              note(this.provisioned, member.email.toLowerCase());
              return result;
            };
          case 'grant':
            return async (groupId: string, memberId: string) => {
              await call(groupId, memberId);
              note(this.granted, ApplyClock.grantKey(groupId, memberId));
            };
          case 'grantMembers':
            return async (groupId: string, memberIds: readonly string[]) => {
              await call(groupId, memberIds);
              for (const memberId of memberIds) note(this.granted, ApplyClock.grantKey(groupId, memberId));
            };
          default:
            return call;
        }
      },
    });
  }

  reset(): void {
    this.provisioned.clear();
    this.granted.clear();
  }
}
