import { STYLESHEET } from 'src/oauth/authorize/views/stylesheet';
import {
  APPS_TABLE,
  KEYS_TABLE,
  MEMBERS_TABLE,
  ORGANIZATION_KEYS_TABLE,
  stackedLabels,
} from 'src/settings/views/stacked-table';

/** The settings pages' stylesheet: the sign-in pages' one plus wider layout, navigation and tables. */
export const SETTINGS_STYLESHEET = `${STYLESHEET}
body.settings { display: block; padding: 1.5rem 1rem 3rem; }
.settings-wrap { max-width: 66rem; margin: 0 auto; }
.card.settings-main { max-width: none; }
.card .product { overflow-wrap: break-word; }
.settings-wrap > main.card:focus { outline: none; }
.settings-wrap > main.card:not(.settings-main) { margin-top: 1.5rem; }
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
td code { overflow-wrap: anywhere; }
td.actions-cell form { display: inline-flex; gap: .4rem; align-items: center; }
td.actions-cell select { width: auto; }
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .88rem; }
/* Commands and snippets wrap instead of being cut off; the copy button copies them unchanged. */
pre { background: var(--bg); border: 1px solid var(--line); border-radius: 8px; padding: .75rem 1rem;
  white-space: pre-wrap; overflow-wrap: anywhere; margin: 0 0 .5rem; }
pre + .copy, pre + p { margin-top: 0; }
.copy-row { display: flex; flex-wrap: wrap; gap: .25rem .75rem; align-items: baseline; }
.mcp-url, .secret { overflow-wrap: anywhere; }
button.copy { padding: .2rem .8rem; font-size: .85rem; margin: 0 0 1rem; }
.copy-row button.copy { margin: 0; }
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
/* A phone: tables become one stacked block per row, each cell under its column's name. */
@media (max-width: 40rem) {
  body.settings { padding: 1rem .75rem 2rem; }
  .inline-form select { min-width: 0; flex: 1 1 10rem; }
  .table-wrap { overflow-x: visible; }
  .table-wrap table, .table-wrap tbody, .table-wrap tr, .table-wrap td, .table-wrap th[scope=row] {
    display: block; width: 100%; }
  .table-wrap thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  .table-wrap tr { border: 1px solid var(--line); border-radius: 8px; padding: .5rem .75rem; margin: 0 0 .75rem; }
  .table-wrap td, .table-wrap th[scope=row] { border: 0; padding: .2rem 0; }
  .table-wrap td::before { display: block; font-size: .8rem; font-weight: 600; color: var(--muted); }
${stackedLabels([KEYS_TABLE, ORGANIZATION_KEYS_TABLE, APPS_TABLE, MEMBERS_TABLE])}
  td.actions-cell { white-space: normal; padding-top: .5rem; }
  td.actions-cell form { flex-wrap: wrap; }
  td code { white-space: normal; }
}
`;

/**
 * The site's only JavaScript: copy buttons. It reveals the button next to a new API key and adds a
 * "Copy" button after every element marked `data-copy="<what it is>"` (commands, snippets, the MCP
 * URL), announcing the result in a status region. Progressive enhancement (the text stays
 * selectable without it); loaded from our own origin, no inline code, so the CSP of the pages
 * that load it stays `script-src 'self'`.
 */
export const COPY_SCRIPT = `'use strict';
(function () {
  var each = function (list, fn) { Array.prototype.forEach.call(list, fn); };
  var status = document.getElementById('copy-status');
  if (!status) {
    status = document.createElement('p');
    status.className = 'visually-hidden';
    status.setAttribute('role', 'status');
    document.body.appendChild(status);
  }
  function textOf(target) {
    return target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' ? target.value : target.textContent;
  }
  function select(target) {
    if (typeof target.select === 'function') {
      target.focus();
      target.select();
      return;
    }
    var range = document.createRange();
    range.selectNodeContents(target);
    window.getSelection().removeAllRanges();
    window.getSelection().addRange(range);
  }
  function wire(button, target, what) {
    function report(ok) {
      status.textContent = ok ? 'Copied to the clipboard.' : 'Copying failed: select the ' + what + ' and copy it.';
    }
    function fallback() {
      select(target);
      try { report(document.execCommand('copy')); } catch (e) { report(false); }
    }
    button.hidden = false;
    button.addEventListener('click', function () {
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(textOf(target)).then(function () { report(true); }, fallback);
      } else {
        fallback();
      }
    });
  }
  each(document.querySelectorAll('button[data-copy-target]'), function (button) {
    var target = document.getElementById(button.getAttribute('data-copy-target'));
    if (target) wire(button, target, 'key');
  });
  each(document.querySelectorAll('[data-copy]'), function (target) {
    var button = document.createElement('button');
    var label = document.createElement('span');
    button.type = 'button';
    button.className = 'copy';
    button.textContent = 'Copy';
    label.className = 'visually-hidden';
    label.textContent = ' ' + target.getAttribute('data-copy');
    button.appendChild(label);
    target.parentNode.insertBefore(button, target.nextSibling);
    wire(button, target, 'text');
  });
})();
`;
