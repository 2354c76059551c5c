/** The desired workspace member for a user the IdP owns: the rules applied to its SCIM body. */
import type { UserRecord } from '../store/record';
import { isAdmin } from './admin-role';
import type { DesiredMember } from './change';
import { fullName } from './full-name';
import { primaryEmail } from './primary-email';

export function desiredMember(user: UserRecord): DesiredMember {
  return {
    userId: user.id,
    ...(user.apply.workspaceId !== undefined ? { memberId: user.apply.workspaceId } : {}),
    // Empty when the user has no email at all: nothing can be linked or provisioned, and applying
    // says so (see apply-change.ts).
    email: primaryEmail(user.body, user.userName) ?? '',
    name: fullName(user.body, user.userName),
    admin: isAdmin(user.body),
    active: user.active,
  };
}
