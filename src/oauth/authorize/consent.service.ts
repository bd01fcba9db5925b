import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from 'src/audit/audit.service';
import { AuditEventType } from 'src/audit/audit-event.types';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from 'src/config/app.config';
import { AuthorizationCodeService } from 'src/oauth/authorize/authorization-code.service';
import {
  authorizationResponseUri,
  grantedScope,
  scopeCovers,
} from 'src/oauth/authorize/authorize-request';
import type { AuthorizeOutcome } from 'src/oauth/authorize/authorize-pages';
import {
  AuthorizeError,
  AuthorizeErrorKind,
  csrfRejected,
  interactionExpired,
  invalidAuthorizeRequest,
} from 'src/oauth/authorize/authorize.errors';
import { formField } from 'src/oauth/authorize/form-fields';
import { Interaction, InteractionService } from 'src/oauth/authorize/interaction.service';
import { BrowserSession, SessionService } from 'src/oauth/authorize/session.service';
import { GrantService } from 'src/oauth/grants/grant.service';
import { MembershipsService } from 'src/users/memberships.service';

export const noOrganization = (): AuthorizeError =>
  new AuthorizeError(
    AuthorizeErrorKind.NoOrganization,
    'You are not a member of any organization, so there is nothing to grant access to. Ask an administrator to add you to an organization, then try again.',
  );

/**
 * The decision: Allow records consent (grant upsert) and issues a code, Deny answers access_denied.
 * Both complete the interaction first, in the same transaction, so a replay yields nothing. Only
 * these two answers leave the server, as 303s carrying `state` (when sent) and `iss`.
 */
@Injectable()
export class ConsentService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly sessions: SessionService,
    private readonly interactions: InteractionService,
    private readonly memberships: MembershipsService,
    private readonly grants: GrantService,
    private readonly codes: AuthorizationCodeService,
    private readonly audit: AuditService,
  ) {}

  /** POST /oauth2/authorize/consent. */
  async decide(session: BrowserSession | null, body: unknown): Promise<AuthorizeOutcome> {
    if (!this.sessions.verifyCsrf(session, formField(body, 'csrf_token'))) throw csrfRejected();
    const user = session?.user;
    if (!session || !user) throw interactionExpired();
    const interactionId = formField(body, 'interaction') ?? '';
    const action = formField(body, 'action');
    if (action === 'deny') return this.deny(session, interactionId);
    if (action !== 'allow') throw invalidAuthorizeRequest('Choose Allow or Deny.');
    const permission = formField(body, 'permission');
    if (permission !== undefined && permission !== 'write') {
      throw invalidAuthorizeRequest('The form named an unknown permission.');
    }
    const organizationId = await this.chosenOrganization(user.id, formField(body, 'organization'));
    const location = await this.dataSource.transaction(async (tx) => {
      const interaction = await this.claim(interactionId, session, tx);
      const scope = grantedScope(interaction.scope, permission === 'write');
      const grant = await this.grants.upsert(
        { userId: user.id, clientRowId: interaction.clientRowId, organizationId, scope },
        tx,
      );
      return this.approve(
        interaction,
        { grantId: grant.id, userId: user.id, organizationId, scope },
        tx,
      );
    });
    this.audit.record({
      type: AuditEventType.ConsentGranted,
      organizationId,
      actorUserId: user.id,
      targetType: 'oauth_grant',
      details: { scope: 'see oauth.code.issued' },
    });
    return { kind: 'redirect', location };
  }

  /**
   * Remembered consent: when a live grant for (user, client, organization) already covers the
   * request, completes this interaction with a code at once. Null (nothing changed) otherwise.
   */
  async approveRemembered(
    session: BrowserSession & { user: { id: string } },
    interaction: Interaction,
    organizationId: string,
  ): Promise<string | null> {
    const userId = session.user.id;
    return this.dataSource.transaction(async (tx) => {
      const grant = await this.grants.findActive(
        userId,
        interaction.clientRowId,
        organizationId,
        tx,
      );
      if (!grant || !scopeCovers(grant.scope, interaction.scope)) return null;
      const claimed = await this.claim(interaction.id, session, tx);
      return this.approve(
        claimed,
        { grantId: grant.id, userId, organizationId, scope: claimed.scope },
        tx,
      );
    });
  }

  private async deny(session: BrowserSession, interactionId: string): Promise<AuthorizeOutcome> {
    const interaction = await this.claim(interactionId, session, this.dataSource.manager);
    this.audit.record({
      type: AuditEventType.ConsentDenied,
      organizationId: session.organizationId,
      actorUserId: session.user?.id ?? null,
      targetType: 'oauth_client',
      targetId: interaction.clientRowId,
    });
    return { kind: 'redirect', location: this.response(interaction, { error: 'access_denied' }) };
  }

  private async approve(
    interaction: Interaction,
    grant: { grantId: string; userId: string; organizationId: string; scope: string },
    tx: EntityManager,
  ): Promise<string> {
    const code = await this.codes.issue(
      {
        ...grant,
        clientRowId: interaction.clientRowId,
        redirectUri: interaction.redirectUri,
        codeChallenge: interaction.codeChallenge,
        resource: interaction.resource,
      },
      tx,
    );
    this.audit.record({
      type: AuditEventType.CodeIssued,
      organizationId: grant.organizationId,
      actorUserId: grant.userId,
      targetType: 'oauth_grant',
      targetId: grant.grantId,
      details: { scope: grant.scope, clientRowId: interaction.clientRowId },
    });
    return this.response(interaction, { code });
  }

  /**
   * Every authorization response, success or error, carries `state` (when sent) and `iss` (RFC 9207
   * §2; MCP 2026-07-28 › Authorization Response Validation: including error responses).
   */
  private response(interaction: Interaction, params: { code: string } | { error: string }): string {
    return authorizationResponseUri(interaction.redirectUri, {
      ...params,
      state: interaction.state,
      iss: this.config.oauth.issuer,
    });
  }

  private async claim(
    interactionId: string,
    session: BrowserSession,
    manager: EntityManager,
  ): Promise<Interaction> {
    const interaction = await this.interactions.complete(interactionId, session.id, manager);
    if (!interaction) throw interactionExpired();
    return interaction;
  }

  /** The posted organization must be one of the person's; with exactly one it may be omitted. */
  private async chosenOrganization(userId: string, posted: string | undefined): Promise<string> {
    const organizations = await this.memberships.listForUser(userId);
    if (organizations.length === 0) throw noOrganization();
    if (posted === undefined) {
      if (organizations.length === 1) return organizations[0].organization.id;
      throw invalidAuthorizeRequest('Choose an organization.');
    }
    const match = organizations.find((m) => m.organization.id === posted);
    if (!match) {
      throw new AuthorizeError(
        AuthorizeErrorKind.Forbidden,
        'You are not a member of the chosen organization. Nothing was granted.',
      );
    }
    return match.organization.id;
  }
}
