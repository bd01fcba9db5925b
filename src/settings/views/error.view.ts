import { markup } from 'src/oauth/authorize/views/html';
import type { SettingsContext } from 'src/settings/settings-session.service';
import { settingsLayout } from 'src/settings/views/settings-layout';

export interface ErrorView {
  title: string;
  message: string;
}

/** An error page; inside the signed-in layout (navigation, switcher) when the request got that far. */
export function errorPage(view: ErrorView, basePath: string, context?: SettingsContext): string {
  const body = markup`<h1>${view.title}</h1>
<p class="alert" role="alert">${view.message}</p>
<p><a href="${basePath}/settings">Back to settings</a></p>`;
  return settingsLayout({ title: view.title, basePath, body, context });
}
