import { markup } from 'src/oauth/authorize/views/html';
import { noUserNotice } from 'src/oauth/authorize/views/first-user';
import { PRODUCT_NAME } from 'src/oauth/authorize/views/layout';
import { csrfField, settingsLayout } from 'src/settings/views/settings-layout';

export interface SignInView {
  csrfToken: string;
  /** A checked `/settings/...` path. */
  returnTo: string;
  email?: string;
  error?: string;
  /** The database has no account yet: say how to create one. */
  noUsers?: boolean;
}

export function signInPage(view: SignInView, basePath: string): string {
  const body = markup`<h1>Sign in</h1>
<p class="lead">Sign in to manage your API keys, connected apps and organization members in the ${PRODUCT_NAME}.</p>
${view.noUsers ? noUserNotice() : null}
<form method="post" action="${basePath}/settings/sign-in">
${csrfField(view.csrfToken)}
<input type="hidden" name="return_to" value="${view.returnTo}">
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
  return settingsLayout({
    title: 'Sign in',
    basePath,
    body,
    error: view.error,
    script: view.noUsers === true,
  });
}
