import { STYLESHEET } from 'src/oauth/authorize/views/stylesheet';

/** The settings pages' stylesheet: the sign-in pages' one plus wider layout, navigation and tables. */
export const SETTINGS_STYLESHEET = `${STYLESHEET}
body.settings { display: block; padding: 1.5rem 1rem 3rem; }
.settings-wrap { max-width: 66rem; margin: 0 auto; }
.card.settings-main { max-width: none; }
.card.settings-main:focus { outline: none; }
.skip-link { position: absolute; left: -9999px; top: .5rem; background: var(--card); padding: .5rem 1rem;
  border: 2px solid var(--accent); border-radius: 6px; z-index: 10; }
.skip-link:focus { left: .5rem; }
.visually-hidden { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
.topbar { display: flex; flex-wrap: wrap; justify-content: space-between; align-items: center; gap: .5rem 1rem;
  margin: 0 0 1rem; }
.topbar .product { margin: 0; }
.account, .organization { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center; }
.account p, .organization p { margin: 0; }
.context-bar { display: flex; flex-wrap: wrap; justify-content: space-between; align-items: center;
  gap: .75rem 1.5rem; margin: 0 0 1rem; }
.context-bar nav ul { margin: 0; }
.inline-form { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; }
.inline-form select { width: auto; min-width: 12rem; }
nav ul { list-style: none; display: flex; flex-wrap: wrap; gap: .25rem; margin: 0 0 1rem; padding: 0; }
nav a { display: inline-block; padding: .45rem .9rem; border-radius: 6px; color: var(--fg); text-decoration: none;
  border: 1px solid transparent; }
nav a:hover { border-color: var(--line); }
nav a[aria-current=page] { background: var(--card); border-color: var(--line); font-weight: 600; }
h2 { font-size: 1.2rem; margin: 2rem 0 .75rem; }
h3 { font-size: 1.05rem; margin: 1.5rem 0 .5rem; }
a { color: var(--accent); }
.notice { padding: .75rem 1rem; border-radius: 8px; border: 1px solid var(--line); background: var(--bg); }
.table-wrap { overflow-x: auto; margin: 0 0 1rem; }
table { border-collapse: collapse; width: 100%; font-size: .92rem; }
th, td { text-align: left; vertical-align: top; padding: .5rem .6rem; border-bottom: 1px solid var(--line); }
th { font-weight: 600; color: var(--muted); white-space: nowrap; }
td.actions-cell, td code { white-space: nowrap; }
td.actions-cell form { display: inline-flex; gap: .4rem; align-items: center; }
td.actions-cell select { width: auto; }
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .88rem; }
pre { background: var(--bg); border: 1px solid var(--line); border-radius: 8px; padding: .75rem 1rem;
  overflow-x: auto; white-space: pre; margin: 0 0 1rem; }
input[type=text], input[type=date] { width: 100%; font: inherit; color: inherit; background: var(--card);
  padding: .5rem .65rem; border: 1px solid var(--line); border-radius: 6px; }
.field-narrow { max-width: 24rem; }
.check { display: flex; gap: .6rem; align-items: flex-start; margin: 0 0 1rem; }
.check input { margin-top: .3rem; }
.check label { font-weight: 400; }
fieldset.choice { border: 1px solid var(--line); border-radius: 8px; padding: .5rem 1rem; margin: 0 0 1rem; }
fieldset.choice legend { font-weight: 600; padding: 0 .3rem; }
.secret { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 1rem; }
button.danger { background: var(--err-bg); border-color: var(--err-line); color: var(--fg); }
.button-link { display: inline-block; padding: .55rem 1.4rem; border-radius: 6px; border: 1px solid var(--line);
  color: var(--fg); text-decoration: none; font-weight: 600; }
ol.steps li { margin: 0 0 .4rem; }
`;

/**
 * The site's only JavaScript: reveals the copy button next to a new API key and copies the key.
 * Progressive enhancement (the key is a selectable read-only field without it); loaded from our
 * own origin, no inline code, so the page's CSP stays `script-src 'self'`.
 */
export const COPY_SCRIPT = `'use strict';
(function () {
  var buttons = document.querySelectorAll('button[data-copy-target]');
  Array.prototype.forEach.call(buttons, function (button) {
    var target = document.getElementById(button.getAttribute('data-copy-target'));
    var status = document.getElementById(button.getAttribute('data-copy-status'));
    if (!target) return;
    function report(ok) {
      if (status) status.textContent = ok ? 'Copied to the clipboard.' : 'Copying failed: select the key and copy it.';
    }
    function fallback() {
      target.focus();
      target.select();
      try { report(document.execCommand('copy')); } catch (e) { report(false); }
    }
    button.hidden = false;
    button.addEventListener('click', function () {
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(target.value).then(function () { report(true); }, fallback);
      } else {
        fallback();
      }
    });
  });
})();
`;
