import { markup, SafeHtml } from 'src/oauth/authorize/views/html';
import type { SettingsContext } from 'src/settings/settings-session.service';
import { settingsLayout } from 'src/settings/views/settings-layout';

export interface McpSetupView {
  /** `${publicUrl}/mcp`. */
  mcpUrl: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  registrationEndpoint: string;
  revocationEndpoint: string;
  resourceMetadata: string;
  scopes: string[];
  codeChallengeMethods: string[];
}

const KEY_PLACEHOLDER = 'ed_…your API key…';

/** A snippet or command; the settings script adds a "Copy <label>" button after it. */
const block = (text: string, label: string): SafeHtml =>
  markup`<pre data-copy="${label}"><code>${text}</code></pre>`;
const json = (value: unknown): string => JSON.stringify(value, null, 2);

function oauthClients(v: McpSetupView, basePath: string): SafeHtml {
  const url = markup`<code>${v.mcpUrl}</code>`;
  return markup`<h2 id="claude">Claude (claude.ai and Claude Desktop)</h2>
<ol class="steps">
<li>Open <strong>Settings → Connectors</strong> and choose <strong>Add custom connector</strong>.</li>
<li>Name: <em>Data Product Catalog</em>. Remote MCP server URL: ${url}. Leave the OAuth client ID and secret empty.</li>
<li>Choose <strong>Connect</strong>, sign in here, pick the organization and choose <strong>Allow</strong>.</li>
</ol>
<h2 id="chatgpt">ChatGPT</h2>
<ol class="steps">
<li>Open <strong>Settings → Apps &amp; Connectors → Advanced settings</strong> and turn on <strong>Developer mode</strong>.</li>
<li>Choose <strong>Create</strong>: MCP server URL ${url}, authentication <strong>OAuth</strong>.</li>
<li>ChatGPT registers itself and opens the sign-in page: sign in, pick the organization, choose <strong>Allow</strong>.</li>
</ol>
<h2 id="copilot">Microsoft Copilot (Copilot Studio)</h2>
<ol class="steps">
<li>In your agent choose <strong>Tools → Add a tool → New tool → Model Context Protocol</strong>.</li>
<li>Server URL ${url}; authentication <strong>OAuth 2.0</strong>, type <strong>Dynamic discovery</strong>.</li>
<li>Create the tool, then <strong>Connect</strong> and sign in here.</li>
</ol>
<h2 id="vscode">VS Code (GitHub Copilot)</h2>
<p>Command Palette → <strong>MCP: Add Server…</strong> → <strong>HTTP</strong> → ${url}, or in <code>.vscode/mcp.json</code>:</p>
${block(json({ servers: { catalog: { type: 'http', url: v.mcpUrl } } }), 'VS Code configuration')}
<p>VS Code opens the sign-in page in your browser when the server starts.</p>
<h2 id="cursor">Cursor</h2>
<p>In <code>~/.cursor/mcp.json</code> (or <code>.cursor/mcp.json</code> in a project):</p>
${block(json({ mcpServers: { catalog: { url: v.mcpUrl } } }), 'Cursor configuration')}
<p>Cursor shows the server as needing sign-in: select it to open the sign-in page.</p>
<h2 id="claude-code">Claude Code</h2>
<p>With OAuth (run <code>/mcp</code> in Claude Code afterwards and choose <strong>Authenticate</strong>):</p>
${block(`claude mcp add --transport http catalog ${v.mcpUrl}`, 'Claude Code command with OAuth')}
<p>Or with a personal <a href="${basePath}/settings/api-keys">API key</a>:</p>
${block(`claude mcp add --transport http catalog ${v.mcpUrl} --header "x-api-key: ${KEY_PLACEHOLDER}"`, 'Claude Code command with an API key')}
<p>In a project's <code>.mcp.json</code> (keep keys out of version control):</p>
${block(json({ mcpServers: { catalog: { type: 'http', url: v.mcpUrl, headers: { 'x-api-key': KEY_PLACEHOLDER } } } }), 'Claude Code project configuration')}`;
}

function keyClients(v: McpSetupView): SafeHtml {
  const desktop = {
    mcpServers: {
      catalog: {
        command: 'npx',
        args: ['-y', 'mcp-remote', v.mcpUrl, '--header', 'x-api-key:${CATALOG_API_KEY}'],
        env: { CATALOG_API_KEY: KEY_PLACEHOLDER },
      },
    },
  };
  return markup`<h2 id="claude-desktop-config">Claude Desktop with an API key</h2>
<p>Prefer the custom connector above. To use a key instead, <code>claude_desktop_config.json</code> starts a local bridge (<code>mcp-remote</code>) to this server:</p>
${block(json(desktop), 'Claude Desktop configuration')}
<h2 id="raw-http">Any other client or script</h2>
<p>Send the key in the <code>x-api-key</code> header, never in the URL or as a bearer token:</p>
${block(
  `curl -s ${v.mcpUrl} \\
  -H 'content-type: application/json' -H 'accept: application/json, text/event-stream' \\
  -H 'x-api-key: ${KEY_PLACEHOLDER}' \\
  -d '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"whoami","arguments":{}}}'`,
  'curl command',
)}`;
}

function endpointTable(v: McpSetupView): SafeHtml {
  const rows: Array<[string, SafeHtml]> = [
    ['MCP server URL', markup`<code>${v.mcpUrl}</code>`],
    ['Authorization endpoint', markup`<code>${v.authorizationEndpoint}</code>`],
    ['Token endpoint', markup`<code>${v.tokenEndpoint}</code>`],
    [
      'Registration endpoint',
      markup`<code>${v.registrationEndpoint}</code> (RFC 7591, no client secret needed)`,
    ],
    ['Revocation endpoint', markup`<code>${v.revocationEndpoint}</code>`],
    ['Resource metadata', markup`<code>${v.resourceMetadata}</code>`],
    ['PKCE', markup`required, ${v.codeChallengeMethods.join(', ')} only`],
    ['Scopes', markup`${v.scopes.map((s, i) => markup`${i > 0 ? ' ' : null}<code>${s}</code>`)}`],
  ];
  return markup`<h2 id="oauth">OAuth endpoints</h2>
<p>For clients that ask for them; most discover them from the MCP server URL.</p>
<div class="table-wrap"><table>
<caption class="visually-hidden">OAuth endpoints of this server</caption>
<tbody>${rows.map(([k, val]) => markup`<tr><th scope="row">${k}</th><td>${val}</td></tr>`)}</tbody>
</table></div>`;
}

export function mcpSetupPage(v: McpSetupView, context: SettingsContext, basePath: string): string {
  const body = markup`<h1>Add an MCP client</h1>
<p>Every client connects to one URL. Chat assistants sign in with OAuth (no key to copy); command-line clients and scripts can use a personal API key.</p>
<p class="copy-row"><span class="label">MCP server URL</span> <span data-copy="MCP server URL"><code class="mcp-url">${v.mcpUrl}</code></span></p>
<nav aria-label="Clients on this page"><ul>
<li><a href="#claude">Claude</a></li><li><a href="#chatgpt">ChatGPT</a></li><li><a href="#copilot">Microsoft Copilot</a></li>
<li><a href="#vscode">VS Code</a></li><li><a href="#cursor">Cursor</a></li><li><a href="#claude-code">Claude Code</a></li>
<li><a href="#oauth">OAuth endpoints</a></li>
</ul></nav>
${oauthClients(v, basePath)}
${keyClients(v)}
${endpointTable(v)}`;
  return settingsLayout({
    title: 'Add MCP client',
    basePath,
    body,
    context,
    active: 'mcp',
    script: true,
  });
}
