import { noUserNotice } from 'src/oauth/authorize/views/first-user';
import { markup, SafeHtml } from 'src/oauth/authorize/views/html';
import { flowFields, layout, PRODUCT_NAME } from 'src/oauth/authorize/views/layout';

/** How the consent and sign-in pages present the client. */
export interface ClientDisplay {
  name: string;
  /** Dynamically registered: the name is whatever the registrant chose. */
  unverified: boolean;
  /** CIMD clients: the host serving the metadata document. */
  publisherHost: string | null;
}

export interface SignInView {
  csrfToken: string;
  interactionId: string;
  client: ClientDisplay;
  email?: string;
  error?: string;
  /** The database has no account yet: say how to create one. */
  noUsers?: boolean;
}

export interface ConsentView {
  csrfToken: string;
  interactionId: string;
  client: ClientDisplay;
  redirect: { host: string; warning: 'loopback' | 'custom_scheme' | null };
  userEmail: string;
  /** The person's organizations (at least one). */
  organizations: Array<{ id: string; name: string }>;
  /** The request asked for more than reading: offer the write permission (pre-checked). */
  offersWrite: boolean;
}

export interface ErrorView {
  title: string;
  message: string;
}

/** Plain-language permissions, by scope level. */
export const PERMISSIONS = {
  read: {
    title: 'Read the data catalog',
    detail: 'search, fetch, contracts, your access, run queries',
  },
  write: {
    title: 'Make changes',
    detail: 'request, approve, reject or cancel access and save data contracts',
  },
} as const;

const clientIntro = (client: ClientDisplay): SafeHtml =>
  markup`<strong class="client-name">${client.name}</strong>${client.unverified ? markup` <span class="badge badge-warn">Unverified</span>` : null}`;

function clientNotice(client: ClientDisplay): SafeHtml | null {
  if (client.publisherHost) {
    return markup`<p class="muted">Client information published by <strong>${client.publisherHost}</strong>.</p>`;
  }
  if (!client.unverified) return null;
  return markup`<p class="muted">This application registered itself: its name is not verified. Continue only if you started this from an application you trust.</p>`;
}

/** Paths in forms are prefixed with `basePath` (the path part of PUBLIC_URL). */
export function signInPage(view: SignInView, basePath: string): string {
  const body = markup`<h1>Sign in</h1>
<p class="lead">${clientIntro(view.client)} wants to access the ${PRODUCT_NAME}. Sign in to continue.</p>
${view.noUsers ? noUserNotice() : null}
${view.error ? markup`<p class="alert" role="alert">${view.error}</p>` : null}
<form method="post" action="${basePath}/oauth2/authorize/login">
${flowFields(view.csrfToken, view.interactionId)}
<div class="field">
<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="username" required value="${view.email ?? ''}">
</div>
<div class="field">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
</div>
<div class="actions"><button type="submit" class="primary">Sign in</button></div>
</form>`;
  return layout({ title: 'Sign in', basePath, body });
}

function redirectWarning(view: ConsentView): SafeHtml | null {
  switch (view.redirect.warning) {
    case 'loopback':
      return markup`<p class="warning">This address is on your own computer. Continue only if you just started this from an application on this computer.</p>`;
    case 'custom_scheme':
      return markup`<p class="warning">This opens an application installed on your computer. Continue only if you just started this from that application.</p>`;
    case null:
      return null;
  }
}

function organizationField(view: ConsentView): SafeHtml {
  if (view.organizations.length === 1) {
    const [only] = view.organizations;
    return markup`<input type="hidden" name="organization" value="${only.id}">
<p class="field"><span class="label">Organization</span> <strong>${only.name}</strong></p>`;
  }
  const options = view.organizations.map((o) => markup`<option value="${o.id}">${o.name}</option>`);
  return markup`<div class="field">
<label for="organization">Organization</label>
<select id="organization" name="organization">${options}</select>
<p class="hint">The application acts in this organization only.</p>
</div>`;
}

function permissionList(view: ConsentView): SafeHtml {
  const read = markup`<div class="permission">
<input type="checkbox" id="permission-read" checked disabled>
<label for="permission-read"><strong>${PERMISSIONS.read.title}:</strong> ${PERMISSIONS.read.detail} <span class="badge">Required</span></label>
</div>`;
  const write = view.offersWrite
    ? markup`<div class="permission">
<input type="checkbox" id="permission-write" name="permission" value="write" checked>
<label for="permission-write"><strong>${PERMISSIONS.write.title}:</strong> ${PERMISSIONS.write.detail}</label>
</div>`
    : null;
  return markup`<fieldset class="permissions">
<legend>Permissions</legend>
${read}
${write}
<p class="hint">What the application can do is also limited by your own role in the organization.</p>
</fieldset>`;
}

export function consentPage(view: ConsentView, basePath: string): string {
  const body = markup`<h1>Allow access?</h1>
<p class="lead">${clientIntro(view.client)} wants to use the ${PRODUCT_NAME} on your behalf.</p>
${clientNotice(view.client)}
<p class="muted">Signed in as <strong>${view.userEmail}</strong></p>
<div class="redirect">
<p><span class="label">You will be sent back to</span> <strong class="host">${view.redirect.host}</strong></p>
${redirectWarning(view)}
</div>
<form method="post" action="${basePath}/oauth2/authorize/consent">
${flowFields(view.csrfToken, view.interactionId)}
${organizationField(view)}
${permissionList(view)}
<div class="actions">
<button type="submit" name="action" value="allow" class="primary">Allow</button>
<button type="submit" name="action" value="deny" class="secondary">Deny</button>
</div>
</form>`;
  return layout({ title: 'Allow access', basePath, body });
}

export function errorPage(view: ErrorView, basePath: string): string {
  const body = markup`<h1>${view.title}</h1>
<p class="alert" role="alert">${view.message}</p>
<p class="muted">You can close this window and return to the application.</p>`;
  return layout({ title: view.title, basePath, body });
}
