/**
 * `roster preview` as text for a person to read, and as CSV for a review: one row per person,
 * workspace account and group. Emails and names beside ids: for the operator's terminal and
 * files only, never logged.
 */
import { HOLD_TEXT } from '../../shared/provisioning/rollout-scope';
import type {
  AccountPreview,
  GroupPreview,
  GroupRef,
  LinkPreview,
  MemberRef,
  PersonPreview,
  Preview,
} from '../../shared/sync/preview';

const names = (groups: readonly GroupRef[]) => groups.map((g) => g.name).join(', ');
const who = (members: readonly MemberRef[]) =>
  members.map((m) => m.email || m.memberId || m.userId || '?').join(', ');

export function linkText(link: LinkPreview): string {
  switch (link.status) {
    case 'linked':
      return `already linked to member ${link.memberId}`;
    case 'link':
      return `links by email to the existing account ${link.memberId}`;
    case 'provision':
      return link.why === 'emailDiffers'
        ? `provisions a new account: no account has this email; account ${link.similarMemberId ?? '?'} has the same name under another email and is NOT linked`
        : 'provisions a new account: no account has this email';
    case 'notLinked':
      return link.why === 'otherConnection'
        ? `not linked: the account with this email (${link.memberId ?? '?'}) is managed by another connection`
        : link.why === 'inactive'
          ? 'not linked: deactivated in the IdP (no account is created for it)'
          : 'not linked: the user has no email to link or provision with';
    case 'held':
      return HOLD_TEXT[link.reason];
  }
}

/** What the next sync does to one person, one phrase an effect: the link first. */
export function personEffects(person: PersonPreview): string[] {
  const effects = [linkText(person.link)];
  if (person.reactivate) effects.push('reactivated');
  if (person.deactivate) effects.push('DEACTIVATED (removed from the workspace and every group)');
  if (person.update.length > 0) effects.push(`${person.update.join(' and ')} updated`);
  if (person.admin === 'gain') effects.push('GAINS admin');
  if (person.admin === 'lose') effects.push('LOSES admin');
  if (person.groupsGained.length > 0) effects.push(`gains groups: ${names(person.groupsGained)}`);
  if (person.groupsLost.length > 0) effects.push(`LOSES groups: ${names(person.groupsLost)}`);
  for (const held of person.held)
    if (person.link.status !== 'held' || held.reason !== person.link.reason)
      effects.push(`${HOLD_TEXT[held.reason]} (${held.changes})`);
  return effects;
}

function personLine(person: PersonPreview): string {
  const label = person.email || person.userName || person.userId;
  return `  ${label} (user ${person.userId}${person.name ? `, ${person.name}` : ''}): ${personEffects(person).join('; ')}`;
}

/** What the next sync does to a workspace account the IdP does not list. */
export function accountEffects(account: AccountPreview): string[] {
  const effects: string[] = [];
  if (account.removal) effects.push(account.removal === 'delete' ? 'DELETED' : 'DEACTIVATED');
  if (account.groupsLost.length > 0) effects.push(`LOSES groups: ${names(account.groupsLost)}`);
  if (account.groupsKept.length > 0)
    effects.push(`keeps until the takeover is approved: ${names(account.groupsKept)}`);
  return effects;
}

function accountLine(account: AccountPreview): string {
  return `  ${account.email || account.memberId} (member ${account.memberId}${account.name ? `, ${account.name}` : ''}): ${accountEffects(account).join('; ')}`;
}

/** What the next sync does to one IdP group, one phrase an effect: the action first. */
export function groupEffects(group: GroupPreview): string[] {
  const action =
    group.action === 'create'
      ? 'created in the workspace'
      : group.action === 'link'
        ? `links the existing workspace group ${group.workspaceGroupId ?? ''} by name`
        : group.action === 'linked'
          ? `already linked to ${group.workspaceGroupId ?? ''}`
          : group.action === 'notLinked'
            ? 'not linked: the workspace group with this name is managed by another connection'
            : HOLD_TEXT[group.why === 'released' ? 'released' : 'outsidePilot'];
  const effects = [action];
  if (group.rename) effects.push(`renamed from "${group.rename.from}"`);
  if (group.gains.length > 0) effects.push(`gains ${group.gains.length}: ${who(group.gains)}`);
  if (group.loses.length > 0)
    effects.push(`LOSES ${group.loses.length} the IdP does not list: ${who(group.loses)}`);
  if (group.kept.length > 0)
    effects.push(
      `keeps ${group.kept.length} the IdP does not list until the takeover is approved (\`roster connection takeover approve ${group.groupId}\`): ${who(group.kept)}`,
    );
  return effects;
}

function groupLine(group: GroupPreview): string {
  return `  ${group.name} (group ${group.groupId}): ${groupEffects(group).join('; ')}`;
}

export function previewLines(preview: Preview, connectionId: string): string[] {
  const t = preview.totals;
  const lines = [
    `Impact preview of connection ${connectionId} (the next sync's plan; nothing was changed)`,
    `  ${t.link} link by email, ${t.provision} provisioned, ${t.notLinked} not linked, ${t.deactivate} deactivated, ${t.adminGain} gain admin, ${t.adminLose} lose admin, ${t.grants} memberships granted, ${t.revokes} revoked, ${t.held} changes held`,
    '',
    'People (IdP users):',
    ...(preview.people.length > 0 ? preview.people.map(personLine) : ['  none']),
  ];
  if (preview.accounts.length > 0)
    lines.push('', 'Workspace accounts the IdP does not list:', ...preview.accounts.map(accountLine));
  lines.push('', 'Groups:', ...(preview.groups.length > 0 ? preview.groups.map(groupLine) : ['  none']));
  if (preview.deletedGroups.length > 0)
    lines.push(
      '',
      'Workspace groups deleted (the IdP deleted them):',
      ...preview.deletedGroups.map((g) => `  ${g.name}`),
    );
  return lines;
}

export const PREVIEW_COLUMNS = [
  'type',
  'id',
  'userName',
  'email',
  'name',
  'action',
  'why',
  'workspaceId',
  'deactivate',
  'admin',
  'gains',
  'loses',
  'kept',
  'held',
] as const;

export function previewRows(preview: Preview): string[][] {
  const rows: string[][] = [];
  for (const p of preview.people) {
    const link = p.link;
    rows.push([
      'person',
      p.userId,
      p.userName ?? '',
      p.email,
      p.name,
      link.status,
      'why' in link ? link.why : link.status === 'held' ? link.reason : '',
      'memberId' in link
        ? (link.memberId ?? '')
        : link.status === 'provision'
          ? (link.similarMemberId ?? '')
          : '',
      String(p.deactivate),
      p.admin ?? '',
      names(p.groupsGained),
      names(p.groupsLost),
      '',
      p.held.map((h) => `${h.reason}:${h.changes}`).join(' '),
    ]);
  }
  for (const a of preview.accounts) {
    rows.push([
      'account',
      a.memberId,
      '',
      a.email ?? '',
      a.name ?? '',
      a.removal ?? 'unchanged',
      '',
      a.memberId,
      String(a.removal !== undefined),
      '',
      '',
      names(a.groupsLost),
      names(a.groupsKept),
      '',
    ]);
  }
  for (const g of preview.groups) {
    rows.push([
      'group',
      g.groupId,
      '',
      '',
      g.name,
      g.action,
      g.why ?? '',
      g.workspaceGroupId ?? '',
      'false',
      '',
      who(g.gains),
      who(g.loses),
      who(g.kept),
      '',
    ]);
  }
  return rows;
}
