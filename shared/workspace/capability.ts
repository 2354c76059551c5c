/**
 * What a workspace adapter can do. Each capability names one operation of the connector port; an
 * adapter declares the set it has so that the provisioning rules and the full sync can degrade
 * clearly (record "not supported") instead of discovering the gap as a failure at apply time.
 */
export const CAPABILITIES = [
  'readMembers',
  'readEntitlements',
  'readGrants',
  'provisionMember',
  'updateMember',
  'deactivateMember',
  'reactivateMember',
  'deleteMember',
  'createGroup',
  'renameGroup',
  'deleteGroup',
  'grant',
  'revoke',
  'readSignIn',
  'markManaged',
  /** Optional on the port (PermissionReader): collection and data source permissions. */
  'readPermissions',
] as const;

export type Capability = (typeof CAPABILITIES)[number];
