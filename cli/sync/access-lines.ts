/**
 * The "Access not removed" section of `roster sync report` and `roster status`: one row per open
 * access incident (a removal the workspace did not apply), with the object, the change, since
 * when, how many attempts, and the outcome's error. Ids only, never an email address.
 */
import type { AccessIncident } from '../../shared/store/access-incidents';
import { table } from '../workspace/action';

export const ACCESS_HEADING = 'Access not removed';

/** The object as the report names it: the workspace object, and the IdP resource where known. */
export function incidentObject(incident: AccessIncident): string {
  const user = incident.userId !== undefined ? ` (user ${incident.userId})` : '';
  const group = incident.groupId !== undefined ? ` (group ${incident.groupId})` : '';
  switch (incident.kind) {
    case 'member':
      return `member ${incident.memberId}${user}`;
    case 'admin':
      return `admin role of member ${incident.memberId}${user}`;
    case 'grant':
      return `member ${incident.memberId}${user} in ${incident.workspaceGroupId}${group}`;
    case 'group':
      return `workspace group ${incident.workspaceGroupId}${group}`;
  }
}

export function accessLines(incidents: readonly AccessIncident[]): string[] {
  if (incidents.length === 0) return [ACCESS_HEADING, 'none open'];
  return [
    `${ACCESS_HEADING} (${incidents.length} open)`,
    ...table(
      ['object', 'change', 'since', 'attempts', 'error'],
      incidents.map((incident) => [
        incidentObject(incident),
        incident.change,
        incident.firstSeenAt,
        String(incident.attempts),
        `${incident.status}: ${incident.error}`,
      ]),
    ),
  ];
}
