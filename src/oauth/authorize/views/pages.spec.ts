import { describeClient } from 'src/oauth/authorize/authorize-pages';
import { ConsentView, consentPage, errorPage, signInPage } from 'src/oauth/authorize/views/pages';

const EVIL = '<img src=x onerror=alert(1)>"\'';
const ESCAPED = '&lt;img src=x onerror=alert(1)&gt;&quot;&#39;';

const consentView = (overrides: Partial<ConsentView> = {}): ConsentView => ({
  csrfToken: 'csrf',
  interactionId: 'i-1',
  client: { name: 'Client', unverified: true, publisherHost: null },
  redirect: { host: '127.0.0.1:9999', warning: 'loopback' },
  userEmail: 'alice@acme.example',
  organizations: [{ id: 'o-1', name: 'Acme' }],
  offersWrite: true,
  ...overrides,
});

describe('describeClient', () => {
  it('should mark a dynamically registered client as unverified', () => {
    expect(describeClient({ clientName: 'Claude', kind: 'dynamic', clientId: 'abc' })).toEqual({
      name: 'Claude',
      unverified: true,
      publisherHost: null,
    });
  });

  it('should show the document host of a CIMD client', () => {
    expect(
      describeClient({
        clientName: 'Claude',
        kind: 'metadata_document',
        clientId: 'https://claude.ai/oauth/mcp-oauth-client-metadata',
      }),
    ).toEqual({ name: 'Claude', unverified: false, publisherHost: 'claude.ai' });
  });

  it('should name an unnamed client', () => {
    expect(describeClient({ clientName: '', kind: 'dynamic', clientId: 'x' }).name).toBe(
      'An unnamed application',
    );
  });
});

describe('signInPage', () => {
  const html = signInPage(
    {
      csrfToken: 'c"sr<f',
      interactionId: 'i-1',
      client: { name: EVIL, unverified: true, publisherHost: null },
      email: EVIL,
      error: EVIL,
    },
    '/base',
  );

  it('should label the inputs Email and Password and offer a Sign in button', () => {
    expect(html).toContain('<label for="email">Email</label>');
    expect(html).toContain('<input id="email" name="email" type="email"');
    expect(html).toContain('<label for="password">Password</label>');
    expect(html).toContain('<input id="password" name="password" type="password"');
    expect(html).toContain('<button type="submit" class="primary">Sign in</button>');
    expect(html).toContain('<h1>Sign in</h1>');
  });

  it('should post to the login route under the base path with the hidden fields', () => {
    expect(html).toContain('<form method="post" action="/base/oauth2/authorize/login">');
    expect(html).toContain('<input type="hidden" name="csrf_token" value="c&quot;sr&lt;f">');
    expect(html).toContain('<input type="hidden" name="interaction" value="i-1">');
    expect(html).toContain('href="/base/oauth2/assets/style.css"');
  });

  it('should escape the client name, the email and the error', () => {
    expect(html).not.toContain('<img');
    expect(html.split(ESCAPED)).toHaveLength(4);
  });

  it('should have no script and no third-party resource', () => {
    expect(html).not.toMatch(/<script|javascript:|https?:\/\//i);
  });
});

describe('consentPage', () => {
  it('should offer both permissions with read required and write checked', () => {
    const html = consentPage(consentView(), '');
    expect(html).toContain('<input type="checkbox" id="permission-read" checked disabled>');
    expect(html).toContain(
      'Read the data catalog:</strong> search, fetch, contracts, your access, run queries',
    );
    expect(html).toContain(
      '<input type="checkbox" id="permission-write" name="permission" value="write" checked>',
    );
    expect(html).toContain(
      'Make changes:</strong> request, approve, reject or cancel access and save data contracts',
    );
    expect(html).toContain('value="allow" class="primary">Allow</button>');
    expect(html).toContain('value="deny" class="secondary">Deny</button>');
  });

  it('should not offer writing when only reading was requested', () => {
    expect(consentPage(consentView({ offersWrite: false }), '')).not.toContain('permission-write');
  });

  it('should preselect a single organization and let several be chosen in a labelled select', () => {
    const one = consentPage(consentView(), '');
    expect(one).toContain('<input type="hidden" name="organization" value="o-1">');
    expect(one).not.toContain('<select');
    const two = consentPage(
      consentView({
        organizations: [
          { id: 'o-1', name: 'Acme' },
          { id: 'o-2', name: EVIL },
        ],
      }),
      '',
    );
    expect(two).toContain('<label for="organization">Organization</label>');
    expect(two).toContain(
      '<select id="organization" name="organization"><option value="o-1">Acme</option>',
    );
    expect(two).toContain(`<option value="o-2">${ESCAPED}</option>`);
    expect(two).not.toContain('name="organization" value="o-1"');
  });

  it('should show the redirect host with a warning for loopback and custom schemes only', () => {
    expect(consentPage(consentView(), '')).toContain('on your own computer');
    const custom = consentPage(
      consentView({
        redirect: { host: 'cursor://anysphere.cursor-mcp', warning: 'custom_scheme' },
      }),
      '',
    );
    expect(custom).toContain('<strong class="host">cursor://anysphere.cursor-mcp</strong>');
    expect(custom).toContain('opens an application installed on your computer');
    const https = consentPage(consentView({ redirect: { host: 'claude.ai', warning: null } }), '');
    expect(https).not.toContain('class="warning"');
  });

  it('should mark an unverified client and show a CIMD publisher instead', () => {
    const dynamic = consentPage(
      consentView({ client: { name: EVIL, unverified: true, publisherHost: null } }),
      '',
    );
    expect(dynamic).toContain(`<strong class="client-name">${ESCAPED}</strong>`);
    expect(dynamic).toContain('Unverified');
    expect(dynamic).toContain('its name is not verified');
    const cimd = consentPage(
      consentView({ client: { name: 'Claude', unverified: false, publisherHost: 'claude.ai' } }),
      '',
    );
    expect(cimd).toContain('published by <strong>claude.ai</strong>');
    expect(cimd).not.toContain('Unverified');
  });
});

describe('errorPage', () => {
  it('should escape the title and the message and offer no form', () => {
    const html = errorPage({ title: EVIL, message: EVIL }, '');
    expect(html).not.toContain('<img');
    expect(html).toContain(`<h1>${ESCAPED}</h1>`);
    expect(html).toContain(`<p class="alert" role="alert">${ESCAPED}</p>`);
    expect(html).not.toContain('<form');
  });
});
