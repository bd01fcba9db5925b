/** The pages' only stylesheet, served same-origin (CSP `style-src 'self'`). */
export const STYLESHEET = `
:root { color-scheme: light dark; --fg: #1f2328; --muted: #59636e; --bg: #f6f8fa; --card: #fff;
  --line: #d1d9e0; --accent: #0b5cd5; --accent-fg: #fff; --warn-bg: #fff8c5; --warn-line: #d4a72c;
  --err-bg: #ffebe9; --err-line: #ff8182; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6edf3; --muted: #9198a1; --bg: #0d1117; --card: #151b23; --line: #3d444d;
    --accent: #4493f8; --accent-fg: #0d1117; --warn-bg: #3b2e00; --warn-line: #9e6a03;
    --err-bg: #3c1618; --err-line: #da3633; }
}
* { box-sizing: border-box; }
html { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
body { margin: 0; min-height: 100vh; background: var(--bg); color: var(--fg);
  display: flex; align-items: flex-start; justify-content: center; padding: 3rem 1rem; }
.card { width: 100%; max-width: 30rem; margin: 0 auto; background: var(--card); border: 1px solid var(--line);
  border-radius: 12px; padding: 2rem; box-shadow: 0 1px 3px rgba(0,0,0,.06); }
.product { margin: 0 0 .5rem; font-size: .8rem; font-weight: 600; letter-spacing: .06em;
  text-transform: uppercase; color: var(--muted); }
h1 { margin: 0 0 1rem; font-size: 1.5rem; line-height: 1.25; }
p { margin: 0 0 1rem; }
.lead { font-size: 1.05rem; }
.muted, .hint { color: var(--muted); font-size: .9rem; }
.hint { margin: .35rem 0 0; }
/* break-word, not anywhere: a long name still breaks, but a table column or flex item is never
   squeezed to one letter wide ("Newcome r Test App"). */
.client-name, .host { overflow-wrap: break-word; }
.badge { display: inline-block; padding: 0 .45rem; border: 1px solid var(--line); border-radius: 999px;
  font-size: .75rem; font-weight: 600; color: var(--muted); vertical-align: .1em; white-space: nowrap; }
.badge-warn { border-color: var(--warn-line); background: var(--warn-bg); color: var(--fg); }
.redirect { border-top: 1px solid var(--line); border-bottom: 1px solid var(--line); padding: 1rem 0 0;
  margin: 0 0 1.25rem; }
.label { display: block; font-weight: 600; font-size: .9rem; }
.warning, .alert { padding: .75rem 1rem; border-radius: 8px; border: 1px solid; }
.warning { background: var(--warn-bg); border-color: var(--warn-line); }
.warning > :last-child { margin-bottom: 0; }
pre.commands { font: .85rem/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; white-space: pre-wrap;
  overflow-wrap: anywhere; margin: 0 0 .75rem; }
.alert { background: var(--err-bg); border-color: var(--err-line); }
form { margin: 0; }
.field { margin: 0 0 1rem; }
label { font-weight: 600; }
.field label { display: block; margin-bottom: .3rem; }
input[type=email], input[type=password], select { width: 100%; font: inherit; color: inherit;
  background: var(--card); padding: .5rem .65rem; border: 1px solid var(--line); border-radius: 6px; }
.permissions { border: 1px solid var(--line); border-radius: 8px; padding: .75rem 1rem; margin: 0 0 1.25rem; }
.permissions legend { font-weight: 600; padding: 0 .3rem; }
.permission { display: flex; gap: .6rem; align-items: flex-start; margin: .5rem 0; }
.permission input { margin-top: .3rem; width: 1.05rem; height: 1.05rem; flex: none; }
.permission label { font-weight: 400; }
.actions { display: flex; flex-wrap: wrap; gap: .75rem; }
button { font: inherit; font-weight: 600; padding: .55rem 1.4rem; border-radius: 6px; cursor: pointer;
  border: 1px solid var(--line); background: var(--card); color: var(--fg); }
button.primary { background: var(--accent); border-color: var(--accent); color: var(--accent-fg); }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
@media (max-width: 40rem) {
  body { padding: 1rem .75rem; }
  .card { padding: 1.25rem 1rem; }
}
`;
