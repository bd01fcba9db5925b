import { Injectable } from '@nestjs/common';
import { conflict, DomainError, ErrorCode } from 'src/common/errors/domain-error';
import { MembersService } from 'src/members/members.service';
import { pageNotFound, SettingsError, SettingsErrorKind } from 'src/settings/settings.errors';
import { formField, uuidOrUndefined } from 'src/settings/settings-request';
import {
  SettingsContext,
  SettingsOrganization,
  SettingsSessionService,
} from 'src/settings/settings-session.service';
import type { MemberForm, MemberRow, MembersView } from 'src/settings/views/members.view';
import { isAdminRole } from 'src/settings/views/settings-layout';

export const readMemberForm = (body: unknown): MemberForm => ({
  email: (formField(body, 'email') ?? '').trim(),
  role: formField(body, 'role') ?? '',
});

/**
 * The members page of the selected organization over MembersService (owners and admins; only
 * owners handle the owner role; the last owner stays — the service's rules and messages).
 */
@Injectable()
export class SettingsMembersService {
  constructor(
    private readonly members: MembersService,
    private readonly sessions: SettingsSessionService,
  ) {}

  async view(context: SettingsContext, form: MemberForm = {}): Promise<MembersView> {
    const organization = this.adminOrganization(context);
    const rows = await this.members.list(this.principal(context, organization), organization.slug);
    const members: MemberRow[] = rows.map((m) => ({ ...m, you: m.userId === context.user.id }));
    return { organization, members, canManageOwners: organization.role === 'owner', form };
  }

  async add(context: SettingsContext, form: MemberForm): Promise<void> {
    const organization = this.adminOrganization(context);
    const principal = this.principal(context, organization);
    try {
      await this.members.add(principal, organization.slug, {
        email: form.email ?? '',
        role: form.role ?? '',
      });
    } catch (err) {
      if (err instanceof DomainError && err.code === ErrorCode.Conflict) {
        throw conflict(
          `${form.email} is already a member of ${organization.name}: change their role in the list instead.`,
        );
      }
      throw err;
    }
  }

  async changeRole(context: SettingsContext, userId: unknown, role: string): Promise<void> {
    const organization = this.adminOrganization(context);
    await this.members.changeRole(
      this.principal(context, organization),
      organization.slug,
      this.memberId(userId),
      role,
    );
  }

  /** The member a removal confirmation is about. */
  async find(context: SettingsContext, userId: unknown): Promise<MemberRow> {
    const id = this.memberId(userId);
    const view = await this.view(context);
    const member = view.members.find((m) => m.userId === id);
    if (!member) throw pageNotFound('Member');
    return member;
  }

  async remove(context: SettingsContext, userId: unknown): Promise<void> {
    const organization = this.adminOrganization(context);
    await this.members.remove(
      this.principal(context, organization),
      organization.slug,
      this.memberId(userId),
    );
  }

  private adminOrganization(context: SettingsContext): SettingsOrganization {
    const organization = this.sessions.currentOrganization(context);
    if (!isAdminRole(organization.role)) {
      throw new SettingsError(
        SettingsErrorKind.Forbidden,
        `Only owners and admins of ${organization.name} can see and manage its members.`,
      );
    }
    return organization;
  }

  private principal(context: SettingsContext, organization: SettingsOrganization) {
    return this.sessions.principal(context, organization);
  }

  private memberId(userId: unknown): string {
    const id = uuidOrUndefined(userId);
    if (!id) throw pageNotFound('Member');
    return id;
  }
}
