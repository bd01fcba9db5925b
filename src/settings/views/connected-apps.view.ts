import { markup } from 'src/oauth/authorize/views/html';
import type { SettingsContext } from 'src/settings/settings-session.service';
import { describeScope, formatTime, srOnly } from 'src/settings/views/format';
import { csrfField, settingsLayout } from 'src/settings/views/settings-layout';
import { APPS_TABLE, tableHead } from 'src/settings/views/stacked-table';

export interface AppRow {
  grantId: string;
  /** Chosen by whoever registered the client: shown escaped, never trusted. */
  clientName: string;
  redirectHosts: string[];
  organization: { id: string; name: string };
  scope: string;
  grantedAt: string;
  lastUsedAt: string | null;
}

export function connectedAppsPage(
  rows: AppRow[],
  context: SettingsContext,
  basePath: string,
  notice: string | null,
): string {
  const body = rows.map(
    (a) => markup`<tr>
<td><strong class="client-name">${a.clientName || 'An unnamed application'}</strong></td>
<td>${a.redirectHosts.map((h, i) => markup`${i > 0 ? ', ' : null}<span class="host">${h}</span>`)}</td>
<td>${a.organization.name}</td>
<td>${describeScope(a.scope)} <span class="muted">(<code>${a.scope}</code>)</span></td>
<td>${formatTime(a.grantedAt, '—')}</td>
<td>${formatTime(a.lastUsedAt, 'Never')}</td>
<td class="actions-cell"><form method="post" action="${basePath}/settings/connected-apps/${a.grantId}/revoke">
${csrfField(context.session.csrfToken)}
<input type="hidden" name="organization" value="${a.organization.id}">
<button type="submit" class="danger">Revoke${srOnly(` access for ${a.clientName} in ${a.organization.name}`)}</button>
</form></td>
</tr>`,
  );
  const table =
    rows.length === 0
      ? markup`<p class="muted">No apps are connected. When you allow an app (Claude, ChatGPT, VS Code, …) to use the catalog for you, it appears here.</p>`
      : markup`<div class="table-wrap"><table class="${APPS_TABLE.name}">
<caption class="visually-hidden">Apps you allowed to act for you</caption>
${tableHead(APPS_TABLE)}
<tbody>${body}</tbody>
</table></div>`;
  const page = markup`<h1>Connected apps</h1>
<p>Apps you allowed to use the catalog on your behalf, per organization. App names are chosen by the apps themselves: check where they send you back to. Revoking stops the app within 5 seconds; it has to ask you again.</p>
${table}`;
  return settingsLayout({
    title: 'Connected apps',
    basePath,
    body: page,
    context,
    active: 'connected-apps',
    notice,
  });
}
