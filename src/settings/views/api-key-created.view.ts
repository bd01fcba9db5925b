import { markup } from 'src/oauth/authorize/views/html';
import type { SettingsContext } from 'src/settings/settings-session.service';
import { formatTime } from 'src/settings/views/format';
import { settingsLayout } from 'src/settings/views/settings-layout';

export interface CreatedKeyView {
  key: string;
  name: string;
  kind: 'user' | 'organization';
  organizationName: string;
  readOnly: boolean;
  expiresAt: string | null;
  mcpUrl: string;
}

/**
 * The one time a key is shown: in the answer to the POST that created it (no-store), never stored
 * or shown again. The copy buttons are hidden or absent until the script reveals or adds them.
 */
export function apiKeyCreatedPage(
  view: CreatedKeyView,
  context: SettingsContext,
  basePath: string,
): string {
  const usage =
    view.kind === 'user'
      ? markup`<h2>Use it</h2>
<p>Claude Code:</p>
<pre data-copy="Claude Code command"><code>claude mcp add --transport http catalog ${view.mcpUrl} --header "x-api-key: ${view.key}"</code></pre>
<p>More clients: <a href="${basePath}/settings/mcp">Add MCP client</a>.</p>`
      : markup`<p class="muted">Organization keys work with the admin API (<code>x-api-key</code> header) only, not for MCP.</p>`;
  const body = markup`<h1>API key created</h1>
<p class="warning" role="alert"><strong>Copy this key now.</strong> It is shown only once: only a hash of it is stored, so nobody can show it to you again.</p>
<div class="field">
<label for="new-key">Your new API key</label>
<input id="new-key" class="secret" type="text" readonly value="${view.key}" autocomplete="off" spellcheck="false">
</div>
<div class="actions">
<button type="button" class="primary" data-copy-target="new-key" data-copy-status="copy-status" hidden>Copy to clipboard</button>
<a class="button-link" href="${basePath}/settings/api-keys">Done</a>
</div>
<p id="copy-status" class="muted" role="status"></p>
<h2>Details</h2>
<ul>
<li>Name: <strong>${view.name}</strong></li>
<li>Organization: <strong>${view.organizationName}</strong></li>
<li>Kind: ${view.kind === 'organization' ? 'Organization key (not usable for MCP)' : 'Personal key'}</li>
<li>Access: ${view.readOnly ? 'Read-only' : 'Read and write'}</li>
<li>Expires: ${formatTime(view.expiresAt, 'Never')}</li>
</ul>
${usage}`;
  return settingsLayout({
    title: 'API key created',
    basePath,
    body,
    context,
    active: 'api-keys',
    script: true,
  });
}
