/**
 * Rule: the workspace's `Everyone` group belongs to the workspace alone. It cannot be created,
 * linked, renamed or changed over SCIM; refusing it here, before anything is written, keeps the
 * link state from ever holding it.
 */
import { ScimError } from '../scim/error';
import type { GroupRecord } from '../store/record';

export const EVERYONE_GROUP_NAME = 'Everyone';

export function isEveryoneGroup(name: string): boolean {
  return name.trim().toLowerCase() === EVERYONE_GROUP_NAME.toLowerCase();
}

/** `existing` is the group being renamed or changed; without it the group is being created. */
export function assertGroupAllowed(displayName: string, existing?: GroupRecord): void {
  if (existing && isEveryoneGroup(existing.displayName)) {
    throw ScimError.badRequest(
      'invalidValue',
      'The Everyone group belongs to the workspace, which adds every member to it; it cannot be changed over SCIM.',
    );
  }
  if (!isEveryoneGroup(displayName)) return;
  if (existing) {
    throw ScimError.badRequest(
      'invalidValue',
      'A group cannot be renamed to Everyone: the workspace owns the Everyone group and adds every member to it. Choose another name.',
    );
  }
  throw ScimError.conflict(
    'The workspace owns the Everyone group and adds every member to it; it cannot be created or linked over SCIM. Push a group with another name.',
  );
}
