import { authorizeWithForms } from 'test/support/oauth-browserless';
import { freePort } from 'test/support/test-app';
import { runTool, ToolRun } from 'test/conformance/tool';

export interface AuthorizationTarget {
  /** The issuer, which is the server's own origin (PUBLIC_URL). */
  issuer: string;
  /** The MCP resource the token is for (RFC 8707), `$PUBLIC_URL/mcp`. */
  resource: string;
  email: string;
  password: string;
}

/** Registers a public client for the tool's callback through our own `/register` (RFC 7591). */
async function registerClient(issuer: string, redirectUri: string): Promise<string> {
  const res = await fetch(`${issuer}/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      client_name: 'MCP conformance tool',
      redirect_uris: [redirectUri],
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
    }),
  });
  const body = (await res.json()) as { client_id?: string };
  if (res.status !== 201 || !body.client_id) {
    throw new Error(`POST /register answered ${res.status}: ${JSON.stringify(body)}`);
  }
  return body.client_id;
}

/** The line, when it is an authorization request to `issuer` for `clientId` (the tool prints one). */
function authorizationUrl(line: string, issuer: string, clientId: string): URL | undefined {
  if (!URL.canParse(line.trim())) return undefined;
  const url = new URL(line.trim());
  return url.origin === issuer && url.searchParams.get('client_id') === clientId ? url : undefined;
}

/**
 * `conformance authorization` against our authorization server: both of its scenarios,
 * `authorization-server-metadata-endpoint` and `authorization-code-grant`, in one run (the second
 * reads the metadata the first fetched). For the second the tool starts a callback server on
 * 127.0.0.1:<port>, prints the authorization URL and waits for a browser; we are that browser: the
 * sign-in and consent pages are driven over plain HTTP (test/support/oauth-browserless.ts) as the
 * demo user, and the final redirect to the callback is followed, so the tool receives the real
 * authorization response and exchanges the code at our token endpoint itself.
 */
export async function runAuthorization(
  target: AuthorizationTarget,
  outputDir: string,
  logFile: string,
): Promise<ToolRun> {
  const port = await freePort();
  const clientId = await registerClient(target.issuer, `http://127.0.0.1:${port}/callback`);
  let browser: Promise<void> | undefined;
  const run = await runTool(
    [
      'authorization',
      '--url',
      target.issuer,
      '--client-id',
      clientId,
      '--resource',
      target.resource,
      '--port',
      String(port),
      '--output-dir',
      outputDir,
    ],
    {
      logFile,
      onLine: (line, stop) => {
        if (browser) return;
        const url = authorizationUrl(line, target.issuer, clientId);
        if (!url) {
          // It would wait five minutes for a browser that is not coming.
          if (line.startsWith('Waiting up to')) stop('it printed no authorization URL of ours');
          return;
        }
        browser = (async () => {
          const callback = await authorizeWithForms(url, {
            email: target.email,
            password: target.password,
          });
          if (callback.origin !== `http://127.0.0.1:${port}`) {
            throw new Error(`the consent ended at ${callback.origin}, not the tool's callback`);
          }
          // The redirect a browser follows: it hands the authorization response to the tool.
          const res = await fetch(callback);
          await res.text();
        })().catch((err: unknown) =>
          stop(`driving the sign-in and consent pages failed: ${(err as Error).message}`),
        );
      },
    },
  );
  await browser;
  if (!browser)
    run.output += '\n[conformance runner] the tool never printed an authorization URL\n';
  return run;
}
