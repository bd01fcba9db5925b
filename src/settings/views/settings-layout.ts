import { faviconLink } from 'src/oauth/authorize/views/favicon';
import { markup, SafeHtml } from 'src/oauth/authorize/views/html';
import { PRODUCT_NAME } from 'src/oauth/authorize/views/layout';
import type { SettingsContext } from 'src/settings/settings-session.service';

export const SETTINGS_STYLESHEET_PATH = '/settings/assets/settings.css';
export const SETTINGS_SCRIPT_PATH = '/settings/assets/copy-key.js';

export type NavKey = 'api-keys' | 'connected-apps' | 'mcp' | 'members';

const NAV: ReadonlyArray<{ key: NavKey; label: string; adminOnly?: boolean }> = [
  { key: 'api-keys', label: 'API keys' },
  { key: 'connected-apps', label: 'Connected apps' },
  { key: 'mcp', label: 'Add MCP client' },
  { key: 'members', label: 'Members', adminOnly: true },
];

export interface SettingsPage {
  title: string;
  basePath: string;
  body: SafeHtml;
  /** Signed in: navigation, organization switcher and sign-out. */
  context?: SettingsContext | null;
  active?: NavKey;
  /** A confirmation after a redirect (fixed texts only). */
  notice?: string | null;
  error?: string | null;
  /** Loads the copy-button script (pages with something to copy). */
  script?: boolean;
}

export const csrfField = (csrfToken: string): SafeHtml =>
  markup`<input type="hidden" name="csrf_token" value="${csrfToken}">`;

export const isAdminRole = (role: string | undefined): boolean =>
  role === 'owner' || role === 'admin';

/** Switching returns to the section's main page (a confirmation page belongs to one organization). */
function switcher(context: SettingsContext, basePath: string, active?: NavKey): SafeHtml {
  const current = context.current;
  if (!current) return markup`<p class="muted">You are not a member of any organization.</p>`;
  const options = context.organizations.map(
    (o) =>
      markup`<option value="${o.id}"${o.id === current.id ? markup` selected` : null}>${o.name}</option>`,
  );
  return markup`<div class="organization">
<form method="post" action="${basePath}/settings/organization" class="inline-form">
${csrfField(context.session.csrfToken)}
<input type="hidden" name="return_to" value="/settings/${active ?? 'api-keys'}">
<label for="switch-organization">Organization</label>
<select id="switch-organization" name="organization">${options}</select>
<button type="submit">Switch</button>
</form>
<p class="muted">Your role in ${current.name}: <strong>${current.role}</strong></p>
</div>`;
}

function account(context: SettingsContext, basePath: string): SafeHtml {
  return markup`<div class="account">
<p class="muted">Signed in as <strong>${context.user.email}</strong></p>
<form method="post" action="${basePath}/settings/sign-out" class="inline-form">
${csrfField(context.session.csrfToken)}
<button type="submit">Sign out</button>
</form>
</div>`;
}

function nav(context: SettingsContext, basePath: string, active?: NavKey): SafeHtml {
  const admin = isAdminRole(context.current?.role);
  const items = NAV.filter((n) => !n.adminOnly || admin).map(
    (n) =>
      markup`<li><a href="${basePath}/settings/${n.key}"${n.key === active ? markup` aria-current="page"` : null}>${n.label}</a></li>`,
  );
  return markup`<nav aria-label="Settings"><ul>${items}</ul></nav>`;
}

/**
 * The document around every settings page: same-origin stylesheet (and, on pages with something to
 * copy, the copy script), no third-party resources, `Referrer-Policy: same-origin` so that form
 * posts carry our `Origin` (with `no-referrer` browsers send `Origin: null`). Signed out (sign-in,
 * error pages) it is the sign-in pages' centred card, product name inside, one look for both.
 */
export function settingsLayout(page: SettingsPage): string {
  const { basePath, context } = page;
  const main = context
    ? markup`<header class="topbar">
<p class="product">${PRODUCT_NAME} · Settings</p>
${account(context, basePath)}
</header>
<div class="context-bar">${nav(context, basePath, page.active)}${switcher(context, basePath, page.active)}</div>
<main id="content" class="card settings-main" tabindex="-1">
${content(page)}
</main>`
    : markup`<main id="content" class="card" tabindex="-1">
<p class="product">${PRODUCT_NAME} · Settings</p>
${content(page)}
</main>`;
  return markup`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>${page.title} · Settings · ${PRODUCT_NAME}</title>
<link rel="stylesheet" href="${basePath}${SETTINGS_STYLESHEET_PATH}">
${faviconLink(basePath)}
${page.script ? markup`<script src="${basePath}${SETTINGS_SCRIPT_PATH}" defer></script>` : null}
</head>
<body class="settings">
<a class="skip-link" href="#content">Skip to content</a>
<div class="settings-wrap">
${main}
</div>
</body>
</html>
`.value;
}

function content(page: SettingsPage): SafeHtml {
  return markup`${page.notice ? markup`<p class="notice" role="status">${page.notice}</p>` : null}
${page.error ? markup`<p class="alert" role="alert">${page.error}</p>` : null}
${page.body}`;
}

/** Whether a rendered settings page loads the copy script (its CSP must then allow it). */
export const loadsSettingsScript = (html: string): boolean =>
  html.includes(`${SETTINGS_SCRIPT_PATH}" defer></script>`);
