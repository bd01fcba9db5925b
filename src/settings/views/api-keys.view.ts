import { markup, SafeHtml } from 'src/oauth/authorize/views/html';
import type { SettingsContext, SettingsOrganization } from 'src/settings/settings-session.service';
import { formatTime, srOnly } from 'src/settings/views/format';
import { csrfField, settingsLayout } from 'src/settings/views/settings-layout';
import { KEYS_TABLE, ORGANIZATION_KEYS_TABLE, tableHead } from 'src/settings/views/stacked-table';

export interface KeyRow {
  id: string;
  name: string;
  /** `ed_` + 4 characters … last 4: recognisable, never the key. */
  hint: string;
  kind: 'user' | 'organization';
  organization: { id: string; name: string };
  ownerEmail: string | null;
  readOnly: boolean;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
}

/** What was typed into the create form (kept when it is refused). */
export interface KeyForm {
  name?: string;
  expiresOn?: string;
  readOnly?: boolean;
  organizationKey?: boolean;
}

export interface ApiKeysView {
  organization: SettingsOrganization;
  mine: KeyRow[];
  /** Owners and admins: the organization's other keys (organization keys, other people's). */
  others: KeyRow[] | null;
  canCreateOrganizationKey: boolean;
  form: KeyForm;
}

function keyType(row: KeyRow): SafeHtml {
  return row.kind === 'organization'
    ? markup`<span class="badge badge-warn">Organization key · not usable for MCP</span>`
    : markup`<span class="badge">Personal</span>`;
}

function expiry(row: KeyRow): SafeHtml {
  const expired = row.expiresAt !== null && new Date(row.expiresAt).getTime() <= Date.now();
  return markup`${formatTime(row.expiresAt, 'Never')}${expired ? markup` <span class="badge badge-warn">Expired</span>` : null}`;
}

function keyTable(rows: KeyRow[], caption: string, basePath: string, owners: boolean): SafeHtml {
  const body = rows.map((k) => {
    const revoke = `${basePath}/settings/api-keys/${k.id}/revoke?organization=${k.organization.id}`;
    return markup`<tr>
<td>${k.name} ${keyType(k)}</td>
<td><code>${k.hint}</code></td>
<td>${k.organization.name}</td>
${owners ? markup`<td>${k.ownerEmail ?? markup`<span class="muted">Organization</span>`}</td>` : null}
<td>${formatTime(k.createdAt, '—')}</td>
<td>${formatTime(k.lastUsedAt, 'Never')}</td>
<td>${expiry(k)}</td>
<td>${k.readOnly ? 'Read-only' : 'Read and write'}</td>
<td class="actions-cell"><a href="${revoke}">Revoke${srOnly(` ${k.name}`)}</a></td>
</tr>`;
  });
  const table = owners ? ORGANIZATION_KEYS_TABLE : KEYS_TABLE;
  return markup`<div class="table-wrap"><table class="${table.name}">
<caption class="visually-hidden">${caption}</caption>
${tableHead(table)}
<tbody>${body}</tbody>
</table></div>`;
}

function kindChoice(view: ApiKeysView): SafeHtml | null {
  if (!view.canCreateOrganizationKey) return null;
  const org = view.form.organizationKey === true;
  return markup`<fieldset class="choice">
<legend>Kind of key</legend>
<div class="check"><input type="radio" id="kind-user" name="kind" value="user"${org ? null : markup` checked`}>
<label for="kind-user">Personal key: acts as you, for MCP clients and scripts</label></div>
<div class="check"><input type="radio" id="kind-organization" name="kind" value="organization"${org ? markup` checked` : null}>
<label for="kind-organization">Organization key: admin API only, not usable for MCP (owners)</label></div>
</fieldset>`;
}

function createForm(view: ApiKeysView, context: SettingsContext, basePath: string): SafeHtml {
  const f = view.form;
  return markup`<h2 id="create">Create a key</h2>
<form method="post" action="${basePath}/settings/api-keys" class="field-narrow">
${csrfField(context.session.csrfToken)}
<div class="field">
<label for="key-name">Name</label>
<input id="key-name" name="name" type="text" required maxlength="100" value="${f.name ?? ''}" aria-describedby="key-name-hint">
<p class="hint" id="key-name-hint">Where you will use it, e.g. “Claude Code on my laptop”.</p>
</div>
<div class="field">
<label for="key-expires">Expires on (optional)</label>
<input id="key-expires" name="expires_on" type="date" value="${f.expiresOn ?? ''}" aria-describedby="key-expires-hint">
<p class="hint" id="key-expires-hint">The key stops working at the end of this day (UTC). Leave empty for no expiry.</p>
</div>
<div class="check"><input type="checkbox" id="key-read-only" name="read_only" value="yes"${f.readOnly ? markup` checked` : null}>
<label for="key-read-only">Read-only: the key can read the catalog but change nothing</label></div>
${kindChoice(view)}
<p class="muted">The key is created in <strong>${view.organization.name}</strong> and never has more rights than your role there.</p>
<div class="actions"><button type="submit" class="primary">Create key</button></div>
</form>`;
}

export function apiKeysPage(
  view: ApiKeysView,
  context: SettingsContext,
  basePath: string,
  messages: { notice?: string | null; error?: string | null } = {},
): string {
  const mine =
    view.mine.length > 0
      ? keyTable(view.mine, 'Your API keys', basePath, false)
      : markup`<p class="muted">You have no API keys yet.</p>`;
  const others =
    view.others === null
      ? null
      : markup`<h2>Other keys in ${view.organization.name}</h2>
<p class="muted">As ${view.organization.role} you see and can revoke every key of the organization.</p>
${view.others.length > 0 ? keyTable(view.others, `Other keys in ${view.organization.name}`, basePath, true) : markup`<p class="muted">No other keys.</p>`}`;
  const body = markup`<h1>API keys</h1>
<p>A personal API key lets an MCP client or a script act as you in one organization: it is sent in the <code>x-api-key</code> header. See <a href="${basePath}/settings/mcp">Add MCP client</a> for how to use one.</p>
<h2>Your keys</h2>
${mine}
${others}
${createForm(view, context, basePath)}`;
  return settingsLayout({
    title: 'API keys',
    basePath,
    body,
    context,
    active: 'api-keys',
    ...messages,
  });
}
