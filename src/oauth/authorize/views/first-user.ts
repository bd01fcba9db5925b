import { markup, SafeHtml } from 'src/oauth/authorize/views/html';

/** The admin CLI commands (src/cli) that create the first account and give it an organization. */
export const FIRST_USER_COMMANDS: readonly string[] = [
  `npm run admin -- user:create --email you@example.com --password 'at least 8 characters'`,
  `npm run admin -- org:create --name 'My team'`,
  `npm run admin -- member:add --org my-team --email you@example.com --role owner`,
];

/**
 * Shown on both sign-in pages while the database has no account (e.g. PostgreSQL without demo
 * data): without it every attempt only says the password is wrong, and nothing says what to do.
 */
export function noUserNotice(): SafeHtml {
  return markup`<div class="warning" role="note">
<p><strong>No user exists yet.</strong> Create one on the server with the admin command line, then sign in:</p>
<pre class="commands" data-copy="commands that create the first user">${FIRST_USER_COMMANDS.join('\n')}</pre>
<p class="hint">In the container image: <code>node dist/cli/admin.js</code> instead of <code>npm run admin --</code>. Or start the server with <code>SEED_DEMO=true</code> for demo users.</p>
</div>`;
}
