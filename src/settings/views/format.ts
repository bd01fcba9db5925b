import { markup, SafeHtml } from 'src/oauth/authorize/views/html';
import { PERMISSIONS } from 'src/oauth/authorize/views/pages';

/** A timestamp as `<time>`: `2026-05-01 14:03 UTC`, machine-readable in `datetime`. */
export function formatTime(iso: string | null, missing: string): SafeHtml {
  if (!iso) return markup`<span class="muted">${missing}</span>`;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return markup`<span class="muted">${missing}</span>`;
  const text = `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return markup`<time datetime="${d.toISOString()}">${text}</time>`;
}

/** Text only screen readers announce (e.g. which row a "Revoke" button acts on). */
export const srOnly = (text: string): SafeHtml =>
  markup`<span class="visually-hidden">${text}</span>`;

/** A granted OAuth scope string in words. */
export function describeScope(scope: string): string {
  const scopes = scope.split(' ');
  const write = scopes.includes('mcp') || scopes.includes('mcp:write');
  return write
    ? `${PERMISSIONS.read.title}; ${PERMISSIONS.write.title.toLowerCase()}`
    : `${PERMISSIONS.read.title} (read only)`;
}
