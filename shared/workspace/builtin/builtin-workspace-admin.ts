/**
 * What a workspace admin (a person, through `roster workspace …`) may do to the built-in
 * workspace. Unlike the port, it refuses to change members and groups the identity provider owns
 * (ManagedByIdpError), so that local edits never fight SCIM; granting a managed member an unmanaged
 * group is allowed, because the IdP does not own that group.
 */
import type { Grant } from '../entitlement';
import type { NewMember, WorkspaceMember } from '../member';
import type { Page } from '../page';
import type { SignInSettings } from '../sign-in';
import { WorkspaceRejectedError } from '../workspace-error';
import type { WorkspaceGroup } from './builtin-items';
import type { BuiltinWorkspace } from './builtin-workspace';
import { ManagedByIdpError } from './managed-by-idp-error';

export interface MemberEdit {
  name?: string;
  admin?: boolean;
  active?: boolean;
}

export class BuiltinWorkspaceAdmin {
  constructor(readonly workspace: BuiltinWorkspace) {}

  // Members, referred to by id or email

  async listMembers(page?: string): Promise<Page<WorkspaceMember>> {
    return this.workspace.readMembers(page);
  }

  async member(ref: string): Promise<WorkspaceMember> {
    const member = ref.includes('@')
      ? await this.workspace.findMemberByEmail(ref)
      : await this.workspace.getMember(ref);
    if (!member) throw new WorkspaceRejectedError(`no member ${ref}`, 404, 'not_found');
    return member;
  }

  async addMember(member: NewMember): Promise<WorkspaceMember> {
    const result = await this.workspace.insertMember(member, false);
    if (result.kind === 'exists') {
      throw new WorkspaceRejectedError(`a member with email ${member.email} exists already`, 409, 'conflict');
    }
    return this.member(result.memberId);
  }

  async editMember(ref: string, edit: MemberEdit): Promise<WorkspaceMember> {
    const member = await this.unmanagedMember(ref);
    if (edit.name !== undefined || edit.admin !== undefined) {
      await this.workspace.updateMember(member.id, { name: edit.name, admin: edit.admin });
    }
    if (edit.active === false && member.state === 'active') await this.workspace.deactivateMember(member.id);
    if (edit.active === true && member.state === 'deactivated')
      await this.workspace.reactivateMember(member.id);
    return this.member(member.id);
  }

  async removeMember(ref: string): Promise<void> {
    const member = await this.unmanagedMember(ref);
    await this.workspace.deleteMember(member.id);
  }

  // Groups, referred to by id or name

  async listGroups(page?: string): Promise<Page<WorkspaceGroup>> {
    const out = await this.workspace.readEntitlements(page);
    return { items: out.items.filter((item) => item.kind === 'group'), next: out.next };
  }

  async group(ref: string): Promise<WorkspaceGroup> {
    const group = (await this.workspace.getGroup(ref)) ?? (await this.workspace.findGroupByName(ref));
    if (!group) throw new WorkspaceRejectedError(`no group ${ref}`, 404, 'not_found');
    return group;
  }

  async groupMembers(ref: string, page?: string): Promise<Page<string>> {
    const group = await this.group(ref);
    return this.workspace.readGroupMembers(group.id, page);
  }

  async addGroup(name: string): Promise<WorkspaceGroup> {
    const result = await this.workspace.insertGroup(name, false);
    if (result.kind === 'exists') {
      throw new WorkspaceRejectedError(`a group named ${name} exists already`, 409, 'conflict');
    }
    return this.group(result.groupId);
  }

  async renameGroup(ref: string, name: string): Promise<WorkspaceGroup> {
    const group = await this.unmanagedGroup(ref);
    await this.workspace.renameGroup(group.id, name);
    return this.group(group.id);
  }

  async removeGroup(ref: string): Promise<void> {
    const group = await this.unmanagedGroup(ref);
    await this.workspace.deleteGroup(group.id);
  }

  async grant(groupRef: string, memberRef: string): Promise<Grant> {
    const group = await this.unmanagedGroup(groupRef);
    const member = await this.member(memberRef);
    await this.workspace.grant(group.id, member.id);
    return { groupId: group.id, memberId: member.id };
  }

  async revoke(groupRef: string, memberRef: string): Promise<Grant> {
    const group = await this.unmanagedGroup(groupRef);
    const member = await this.member(memberRef);
    await this.workspace.revoke(group.id, member.id);
    return { groupId: group.id, memberId: member.id };
  }

  // Sign-in

  async signIn(): Promise<SignInSettings> {
    return this.workspace.readSignIn();
  }

  /** Applies a partial change; refuses one that would leave no sign-in method enabled. */
  async setSignIn(change: Partial<SignInSettings>): Promise<SignInSettings> {
    const current = await this.workspace.readSignIn();
    const next: SignInSettings = { ...current, ...change };
    await this.workspace.writeSignIn(next);
    return next;
  }

  private async unmanagedMember(ref: string): Promise<WorkspaceMember> {
    const member = await this.member(ref);
    if (member.managedByScim) throw new ManagedByIdpError('member', member.id);
    return member;
  }

  private async unmanagedGroup(ref: string): Promise<WorkspaceGroup> {
    const group = await this.group(ref);
    if (group.managed) throw new ManagedByIdpError('group', group.id);
    return group;
  }
}
