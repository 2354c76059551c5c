/** An admin edit refused because the object is linked to the identity provider, which owns it. */
export class ManagedByIdpError extends Error {
  constructor(
    readonly kind: 'member' | 'group',
    readonly id: string,
  ) {
    super(
      `this ${kind} is managed by the identity provider (SCIM): change it in the identity provider, or unlink it first with \`roster unlink ${kind === 'member' ? 'user' : 'group'} ${id}\``,
    );
    this.name = 'ManagedByIdpError';
  }
}
