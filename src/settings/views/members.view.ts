import { markup, SafeHtml } from 'src/oauth/authorize/views/html';
import type { SettingsContext, SettingsOrganization } from 'src/settings/settings-session.service';
import { formatTime, srOnly } from 'src/settings/views/format';
import { csrfField, settingsLayout } from 'src/settings/views/settings-layout';
import { MEMBERS_TABLE, tableHead } from 'src/settings/views/stacked-table';
import type { OrganizationRole } from 'src/auth/principal';

export interface MemberRow {
  userId: string;
  email: string;
  name: string;
  role: OrganizationRole;
  disabled: boolean;
  joinedAt: string;
  you: boolean;
}

export interface MemberForm {
  email?: string;
  role?: string;
}

export interface MembersView {
  organization: SettingsOrganization;
  members: MemberRow[];
  /** Owners grant, take and remove the owner role; admins manage admins and members. */
  canManageOwners: boolean;
  form: MemberForm;
}

const ROLES: ReadonlyArray<{ role: OrganizationRole; label: string }> = [
  { role: 'member', label: 'Member' },
  { role: 'admin', label: 'Admin' },
  { role: 'owner', label: 'Owner' },
];

function roleOptions(view: MembersView, selected: string | undefined): SafeHtml[] {
  return ROLES.filter((r) => r.role !== 'owner' || view.canManageOwners).map(
    (r) =>
      markup`<option value="${r.role}"${r.role === selected ? markup` selected` : null}>${r.label}</option>`,
  );
}

function actions(m: MemberRow, view: MembersView, context: SettingsContext, basePath: string) {
  if (m.role === 'owner' && !view.canManageOwners) {
    return markup`<span class="muted">Only owners can change owners</span>`;
  }
  const id = `role-${m.userId}`;
  return markup`<form method="post" action="${basePath}/settings/members/${m.userId}/role">
${csrfField(context.session.csrfToken)}
<label for="${id}" class="visually-hidden">Role of ${m.email}</label>
<select id="${id}" name="role">${roleOptions(view, m.role)}</select>
<button type="submit">Change role${srOnly(` of ${m.email}`)}</button>
</form>
<a href="${basePath}/settings/members/${m.userId}/remove">Remove${srOnly(` ${m.email}`)}</a>`;
}

export function membersPage(
  view: MembersView,
  context: SettingsContext,
  basePath: string,
  messages: { notice?: string | null; error?: string | null } = {},
): string {
  const rows = view.members.map(
    (m) => markup`<tr>
<td>${m.name}${m.you ? markup` <span class="badge">You</span>` : null}${m.disabled ? markup` <span class="badge badge-warn">Disabled</span>` : null}</td>
<td>${m.email}</td>
<td>${m.role}</td>
<td>${formatTime(m.joinedAt, '—')}</td>
<td class="actions-cell">${actions(m, view, context, basePath)}</td>
</tr>`,
  );
  const body = markup`<h1>Members of ${view.organization.name}</h1>
<p>Owners manage everything including ownership; admins manage members, keys and connected apps; members use the catalog. An organization always keeps at least one owner. Removing someone stops their keys and connected apps in this organization within 5 seconds.</p>
<div class="table-wrap"><table class="${MEMBERS_TABLE.name}">
<caption class="visually-hidden">Members of ${view.organization.name}</caption>
${tableHead(MEMBERS_TABLE)}
<tbody>${rows}</tbody>
</table></div>
<h2>Add a member</h2>
<p class="muted">Only people who already have an account can be added.</p>
<form method="post" action="${basePath}/settings/members" class="field-narrow">
${csrfField(context.session.csrfToken)}
<div class="field"><label for="member-email">Email</label>
<input id="member-email" name="email" type="email" required maxlength="320" value="${view.form.email ?? ''}"></div>
<div class="field"><label for="member-role">Role</label>
<select id="member-role" name="role">${roleOptions(view, view.form.role ?? 'member')}</select></div>
<div class="actions"><button type="submit" class="primary">Add member</button></div>
</form>`;
  return settingsLayout({
    title: 'Members',
    basePath,
    body,
    context,
    active: 'members',
    ...messages,
  });
}
