import { faviconLink } from 'src/oauth/authorize/views/favicon';
import { markup, SafeHtml } from 'src/oauth/authorize/views/html';

export const PRODUCT_NAME = 'Data Product Catalog';
export const STYLESHEET_PATH = '/oauth2/assets/style.css';

/** The document around every page: no scripts, one same-origin stylesheet, no third-party resources. */
export function layout(page: { title: string; basePath: string; body: SafeHtml }): string {
  return markup`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${page.title} · ${PRODUCT_NAME}</title>
<link rel="stylesheet" href="${page.basePath}${STYLESHEET_PATH}">
${faviconLink(page.basePath)}
</head>
<body>
<main class="card">
<p class="product">${PRODUCT_NAME}</p>
${page.body}
</main>
</body>
</html>
`.value;
}

/** The hidden fields every form of the flow carries. */
export const flowFields = (csrfToken: string, interactionId: string): SafeHtml =>
  markup`<input type="hidden" name="csrf_token" value="${csrfToken}">
<input type="hidden" name="interaction" value="${interactionId}">`;
