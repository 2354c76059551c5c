/**
 * The access snapshot (`roster sync export`): every workspace member with its attributes and
 * every entitlement it holds (each group, `Everyone` for active members, the admin role), managed
 * by the IdP or not: the answer to "who can reach what" for an access review. One row per member
 * and entitlement; a member with none still gets one row, so that nobody is missed.
 */
import type { WorkspaceConnector } from '../workspace/port';
import { readObserved } from './read-observed';
import type { ProgressListener } from './sync-progress';

export interface AccessRow {
  memberId: string;
  email: string;
  name: string;
  state: string;
  managedByScim: boolean;
  entitlementKind: 'group' | 'role' | '';
  entitlementId: string;
  entitlementName: string;
}

export async function* accessSnapshot(
  connector: WorkspaceConnector,
  onProgress?: ProgressListener,
): AsyncGenerator<AccessRow> {
  const observed = await readObserved(connector, onProgress);
  const groupsOf = new Map<string, string[]>();
  for (const [groupId, holders] of observed.grants) {
    for (const memberId of holders) {
      const groups = groupsOf.get(memberId);
      if (groups) groups.push(groupId);
      else groupsOf.set(memberId, [groupId]);
    }
  }
  for (const member of observed.members.values()) {
    const base = {
      memberId: member.id,
      email: member.email,
      name: member.name,
      state: member.state,
      managedByScim: member.managedByScim,
    };
    let rows = 0;
    if (member.admin) {
      rows++;
      yield { ...base, entitlementKind: 'role', entitlementId: 'admin', entitlementName: 'admin' };
    }
    if (observed.everyone && member.state === 'active') {
      rows++;
      yield {
        ...base,
        entitlementKind: 'group',
        entitlementId: observed.everyone.id,
        entitlementName: observed.everyone.name,
      };
    }
    for (const groupId of groupsOf.get(member.id) ?? []) {
      rows++;
      const name = observed.groups.get(groupId)?.name ?? '';
      yield { ...base, entitlementKind: 'group', entitlementId: groupId, entitlementName: name };
    }
    if (rows === 0) yield { ...base, entitlementKind: '', entitlementId: '', entitlementName: '' };
  }
}

export const ACCESS_COLUMNS: readonly (keyof AccessRow)[] = [
  'memberId',
  'email',
  'name',
  'state',
  'managedByScim',
  'entitlementKind',
  'entitlementId',
  'entitlementName',
];

/** RFC 4180: quote fields holding a comma, quote or line break; double the quotes. */
export function csvLine(values: readonly (string | boolean)[]): string {
  return values
    .map((value) => {
      const text = String(value);
      return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
    })
    .join(',');
}
