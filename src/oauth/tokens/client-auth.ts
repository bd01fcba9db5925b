import { Injectable } from '@nestjs/common';
import { ClientService } from 'src/oauth/clients/client.service';
import { OAuthClient, TokenEndpointAuthMethod } from 'src/oauth/entities';
import { OAuthError } from 'src/oauth/oauth.errors';
import { OAuthForm } from 'src/oauth/tokens/oauth-form';

interface PresentedCredentials {
  method: TokenEndpointAuthMethod;
  clientId: string;
  secret?: string;
}

const AUTH_FAILED = 'Client authentication failed';

/**
 * Client authentication at the token and revocation endpoints (OAuth 2.1 §2.4): `none` (client_id in
 * the body), `client_secret_post` (client_id and client_secret in the body) or `client_secret_basic`
 * (RFC 6749 §2.3.1). A client must use the method it registered. Failures are 401 `invalid_client`,
 * with `WWW-Authenticate: Basic` when the client tried HTTP Basic; database faults propagate (503).
 */
@Injectable()
export class ClientAuthenticator {
  constructor(private readonly clients: ClientService) {}

  async authenticate(authorization: unknown, form: OAuthForm): Promise<OAuthClient> {
    const presented = readCredentials(authorization, form);
    const basic = presented.method === 'client_secret_basic';
    const client = await this.clients.findByClientId(presented.clientId);
    if (!client) throw new OAuthError('invalid_client', AUTH_FAILED, 401, basic);
    if (client.tokenEndpointAuthMethod !== presented.method) {
      throw new OAuthError(
        'invalid_client',
        `This client must authenticate with ${client.tokenEndpointAuthMethod}, not ${presented.method}`,
        401,
        basic,
      );
    }
    if (presented.method !== 'none') {
      const ok =
        presented.secret !== undefined &&
        (await this.clients.verifySecret(client, presented.secret));
      if (!ok) throw new OAuthError('invalid_client', AUTH_FAILED, 401, basic);
    }
    return client;
  }
}

/** Which method the request used, and the credentials it carried. */
export function readCredentials(authorization: unknown, form: OAuthForm): PresentedCredentials {
  const bodyId = form.client_id;
  const bodySecret = form.client_secret;
  if (authorization !== undefined) {
    const basic = parseBasic(authorization);
    if (bodySecret !== undefined) {
      throw new OAuthError(
        'invalid_request',
        'Send the client secret once: in the Authorization header or in the body, not both',
      );
    }
    if (bodyId !== undefined && bodyId !== basic.clientId) {
      throw new OAuthError(
        'invalid_request',
        'client_id in the body differs from the one in the Authorization header',
      );
    }
    return { method: 'client_secret_basic', ...basic };
  }
  if (bodyId === undefined) {
    throw new OAuthError('invalid_request', 'The parameter client_id is required');
  }
  if (bodySecret !== undefined) {
    return { method: 'client_secret_post', clientId: bodyId, secret: bodySecret };
  }
  return { method: 'none', clientId: bodyId };
}

/** `Basic base64(urlencode(client_id) ":" urlencode(client_secret))` (RFC 6749 §2.3.1). */
function parseBasic(header: unknown): { clientId: string; secret: string } {
  const fail = (why: string) =>
    new OAuthError('invalid_client', `Malformed Authorization header: ${why}`, 401, true);
  if (typeof header !== 'string') throw fail('send it once');
  const m = /^Basic +([A-Za-z0-9+/]+={0,2}) *$/i.exec(header);
  if (!m) throw fail('only the Basic scheme is supported here');
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw fail('expected client_id:client_secret');
  const clientId = formDecode(decoded.slice(0, colon));
  const secret = formDecode(decoded.slice(colon + 1));
  if (clientId === null || secret === null) throw fail('bad percent-encoding');
  if (clientId === '') throw fail('empty client_id');
  return { clientId, secret };
}

function formDecode(value: string): string | null {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return null;
  }
}
