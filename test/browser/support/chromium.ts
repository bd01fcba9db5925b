import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Browser, chromium, Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** Debian's Chromium, headless; never a downloaded browser. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** A client's loopback redirect target: answers 200 to anything and remembers what it was sent. */
export interface CallbackServer {
  /** `http://127.0.0.1:<port>/callback`. */
  redirectUri: string;
  hits: string[];
  close(): Promise<void>;
}

export async function startCallbackServer(): Promise<CallbackServer> {
  const hits: string[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    hits.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><title>Client</title><h1>Authorization received</h1>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    redirectUri: `http://127.0.0.1:${port}/callback`,
    hits,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Collects Content-Security-Policy violations and failed requests a page reports. */
export function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) problems.push(m.text());
  });
  page.on('requestfailed', (r) => {
    const error = r.failure()?.errorText ?? '?';
    // The browser fetches the icon on its own, and the next navigation cancels it if it is still
    // on its way: that is no failure of ours.
    if (error === 'net::ERR_ABORTED' && /\/favicon\.(svg|ico)$/.test(new URL(r.url()).pathname))
      return;
    problems.push(`${r.url()} failed: ${error}`);
  });
  return problems;
}
