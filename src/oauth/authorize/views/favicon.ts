import { markup, SafeHtml } from 'src/oauth/authorize/views/html';

export const FAVICON_PATH = '/favicon.svg';
/** Browsers ask for it unprompted; it answers the same icon. */
export const FAVICON_ICO_PATH = '/favicon.ico';

/**
 * The pages' icon: a small same-origin SVG (CSP `img-src 'self'`), no text, no script, so it can
 * be served as is. A catalog card in the pages' accent colour.
 */
export const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">
<rect x="2" y="2" width="28" height="28" rx="6" fill="#0b5cd5"/>
<rect x="8" y="9" width="16" height="3" rx="1.5" fill="#fff"/>
<rect x="8" y="15" width="16" height="3" rx="1.5" fill="#fff"/>
<rect x="8" y="21" width="10" height="3" rx="1.5" fill="#fff"/>
</svg>
`;

/** The `<link rel="icon">` of both layouts. */
export const faviconLink = (basePath: string): SafeHtml =>
  markup`<link rel="icon" href="${basePath}${FAVICON_PATH}" type="image/svg+xml">`;
