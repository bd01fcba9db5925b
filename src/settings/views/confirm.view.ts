import { markup, SafeHtml } from 'src/oauth/authorize/views/html';
import type { SettingsContext } from 'src/settings/settings-session.service';
import { csrfField, NavKey, settingsLayout } from 'src/settings/views/settings-layout';

export interface ConfirmView {
  title: string;
  /** What will happen, in words (already escaped markup). */
  details: SafeHtml;
  /** App path the confirming form posts to. */
  action: string;
  fields: Record<string, string>;
  button: string;
  /** App path of the page to go back to. */
  cancel: string;
  active: NavKey;
}

/** The confirmation step of a destructive action: GET shows it, only its POST changes anything. */
export function confirmPage(view: ConfirmView, basePath: string, context: SettingsContext): string {
  const hidden = Object.entries(view.fields).map(
    ([name, value]) => markup`<input type="hidden" name="${name}" value="${value}">`,
  );
  const body = markup`<h1>${view.title}</h1>
${view.details}
<form method="post" action="${basePath}${view.action}">
${csrfField(context.session.csrfToken)}
${hidden}
<div class="actions">
<button type="submit" class="danger">${view.button}</button>
<a class="button-link" href="${basePath}${view.cancel}">Cancel</a>
</div>
</form>`;
  return settingsLayout({ title: view.title, basePath, body, context, active: view.active });
}
