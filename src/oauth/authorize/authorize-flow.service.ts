import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from 'src/config/app.config';
import { AuthorizeOutcome, describeClient } from 'src/oauth/authorize/authorize-pages';
import {
  AuthorizationRequest,
  forcesConsent,
  offersWrite,
  RawQuery,
  resolveRedirectUri,
  validateAuthorizationRequest,
} from 'src/oauth/authorize/authorize-request';
import { interactionExpired, invalidAuthorizeRequest } from 'src/oauth/authorize/authorize.errors';
import { ConsentService, noOrganization } from 'src/oauth/authorize/consent.service';
import { Interaction, InteractionService } from 'src/oauth/authorize/interaction.service';
import { BrowserSession } from 'src/oauth/authorize/session.service';
import { ClientService } from 'src/oauth/clients/client.service';
import { OAuthClient } from 'src/oauth/entities';
import { describeRedirect } from 'src/oauth/redirect/redirect-uri.policy';
import { MembershipsService } from 'src/users/memberships.service';

/** A request that passed every check of authorize-request.ts, with its client and redirect URI. */
export interface ValidatedAuthorization {
  request: AuthorizationRequest;
  clientRowId: string;
  redirectUri: string;
}

/**
 * The authorization endpoint's steps: validate (400 pages only, never a redirect), store the request
 * as an interaction bound to the browser session, then sign-in → organization and consent. A
 * signed-in session alone never yields a code: every code completes this request's interaction.
 */
@Injectable()
export class AuthorizeFlowService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clients: ClientService,
    private readonly interactions: InteractionService,
    private readonly memberships: MembershipsService,
    private readonly consent: ConsentService,
  ) {}

  /** Every problem is an AuthorizeError (400). A database fault propagates (503), never "unknown". */
  async validate(query: RawQuery): Promise<ValidatedAuthorization> {
    const checked = validateAuthorizationRequest(query, { mcpResource: this.config.mcpResource });
    if (!checked.ok) throw invalidAuthorizeRequest(checked.problem);
    const request = checked.value;
    const client = await this.clients.findByClientId(request.clientId);
    if (!client) {
      throw invalidAuthorizeRequest(
        'The client_id is not known here. The application may need to register again.',
      );
    }
    if (!registeredFor(client.responseTypes, 'code')) {
      throw invalidAuthorizeRequest('This client is not registered for the response_type "code".');
    }
    const redirect = resolveRedirectUri(
      request.redirectUri,
      client.redirectUris,
      this.config.oauth.redirectSchemes,
    );
    if (!redirect.ok) throw invalidAuthorizeRequest(redirect.problem);
    return { request, clientRowId: client.id, redirectUri: redirect.value };
  }

  /** GET /oauth2/authorize after validation: a new interaction for this browser session. */
  async begin(session: BrowserSession, valid: ValidatedAuthorization): Promise<AuthorizeOutcome> {
    const interaction = await this.interactions.create(
      session.id,
      valid.clientRowId,
      valid.request,
      valid.redirectUri,
    );
    return this.next(session, interaction);
  }

  /** GET /oauth2/authorize/consent?interaction=…: where the flow continues after sign-in. */
  async resume(
    session: BrowserSession | null,
    interactionId: string | undefined,
  ): Promise<AuthorizeOutcome> {
    const interaction = session && (await this.interactions.findLive(interactionId, session.id));
    if (!session || !interaction) throw interactionExpired();
    return this.next(session, interaction);
  }

  /** The sign-in page, remembered consent (a 303 to the client), or the consent page. */
  private async next(session: BrowserSession, interaction: Interaction): Promise<AuthorizeOutcome> {
    const client = describeClient(await this.clientOf(interaction));
    const user = session.user;
    if (!user) {
      return {
        kind: 'sign_in',
        status: 200,
        view: { csrfToken: session.csrfToken, interactionId: interaction.id, client },
        redirectUri: interaction.redirectUri,
      };
    }
    const memberships = await this.memberships.listForUser(user.id);
    if (memberships.length === 0) throw noOrganization();
    if (memberships.length === 1 && !forcesConsent(interaction.prompt)) {
      const organizationId = memberships[0].organization.id;
      const location = await this.consent.approveRemembered(
        { ...session, user },
        interaction,
        organizationId,
      );
      if (location) return { kind: 'redirect', location };
    }
    return {
      kind: 'consent',
      view: {
        csrfToken: session.csrfToken,
        interactionId: interaction.id,
        client,
        redirect: describeRedirect(interaction.redirectUri),
        userEmail: user.email,
        organizations: memberships.map((m) => ({
          id: m.organization.id,
          name: m.organization.name,
        })),
        offersWrite: offersWrite(interaction.scope),
      },
      redirectUri: interaction.redirectUri,
    };
  }

  async clientOf(interaction: Interaction): Promise<OAuthClient> {
    const client = await this.clients.findByRowId(interaction.clientRowId);
    // Deleting a client deletes its interactions; treat a race, or a client registered under
    // another issuer (PUBLIC_URL changed meanwhile), the same way.
    if (!client) throw interactionExpired();
    return client;
  }
}

/** RFC 7591 §2: an omitted (empty) list means the default, which includes `code`. */
const registeredFor = (list: readonly string[] | null | undefined, value: string): boolean =>
  !Array.isArray(list) || list.length === 0 || list.includes(value);
