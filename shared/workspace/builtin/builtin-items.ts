/**
 * The built-in workspace's member and group items as stored, and their mapping to the connector
 * port's shapes, with the `Everyone` group the workspace has by construction.
 */
import type { GroupEntitlement } from '../entitlement';
import type { MemberState, WorkspaceMember } from '../member';
import { EVERYONE_ID, EVERYONE_NAME } from './keys';

export type WorkspaceGroup = GroupEntitlement;

export interface MemberItem {
  id: string;
  email: string;
  name: string;
  admin: boolean;
  state: MemberState;
  managedByScim: boolean;
  owner?: string;
}

export interface GroupItem {
  id: string;
  name: string;
  managed: boolean;
  owner?: string;
}

export function toMember(item: Record<string, unknown>): WorkspaceMember {
  const member = item as unknown as MemberItem;
  return {
    id: member.id,
    email: member.email,
    name: member.name,
    admin: member.admin,
    state: member.state,
    managedByScim: member.managedByScim,
    ...(member.owner !== undefined ? { owner: member.owner } : {}),
  };
}

export function toGroup(item: Record<string, unknown>): WorkspaceGroup {
  const group = item as unknown as GroupItem;
  return {
    kind: 'group',
    id: group.id,
    name: group.name,
    managed: group.managed,
    everyone: false,
    ...(group.owner !== undefined ? { owner: group.owner } : {}),
  };
}

export const EVERYONE_GROUP: WorkspaceGroup = {
  kind: 'group',
  id: EVERYONE_ID,
  name: EVERYONE_NAME,
  managed: false,
  everyone: true,
};
