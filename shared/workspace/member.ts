/** A workspace account as the connector sees it. */
/**
 * `invited`: invited and not yet joined (Mode lists invitations as memberships). An invitation is
 * access on its way: deactivation withdraws it, and it never counts as deactivated.
 */
export type MemberState = 'active' | 'invited' | 'deactivated';

export interface WorkspaceMember {
  id: string;
  /** As stored by the workspace; compare case-insensitively. */
  email: string;
  /** The full name: givenName and familyName joined by a space. */
  name: string;
  admin: boolean;
  state: MemberState;
  /** Set once the member is linked to an IdP identity: the IdP owns it from then on. */
  managedByScim: boolean;
  /**
   * The connection that owns the account, where the workspace records it (the built-in workspace
   * does; Mode's API has no place for it). A connection changes only what it owns.
   */
  owner?: string;
}

export interface NewMember {
  email: string;
  name: string;
  admin: boolean;
}

export interface MemberProfile {
  /** A new primary email (the sign-in identity). Refused when another account holds it. */
  email?: string;
  name?: string;
  admin?: boolean;
}

/**
 * The outcome of provisioning. `exists` means an account with that email was already there and
 * nothing was created, so the rules link to `memberId` instead of creating a second account.
 */
export type ProvisionResult = { kind: 'created'; memberId: string } | { kind: 'exists'; memberId: string };
