import { Injectable } from '@nestjs/common';
import { OAuthAdminService } from 'src/oauth-admin/oauth-admin.service';
import { pageNotFound } from 'src/settings/settings.errors';
import { uuidOrUndefined } from 'src/settings/settings-request';
import { SettingsContext, SettingsSessionService } from 'src/settings/settings-session.service';
import type { AppRow } from 'src/settings/views/connected-apps.view';

/**
 * Connected apps: the person's own OAuth grants in each of their organizations, revoked through
 * OAuthAdminService (refresh tokens at once, access tokens through the live grant check ≤ 5 s).
 */
@Injectable()
export class SettingsAppsService {
  constructor(
    private readonly oauth: OAuthAdminService,
    private readonly sessions: SettingsSessionService,
  ) {}

  async list(context: SettingsContext): Promise<AppRow[]> {
    const rows: AppRow[] = [];
    for (const org of context.organizations) {
      const grants = await this.oauth.listGrants(this.sessions.principal(context, org), {
        scope: 'mine',
      });
      for (const g of grants) {
        rows.push({
          grantId: g.id,
          clientName: g.clientName,
          redirectHosts: g.redirectHosts,
          organization: { id: org.id, name: org.name },
          scope: g.scope,
          grantedAt: g.createdAt,
          lastUsedAt: g.lastUsedAt,
        });
      }
    }
    return rows;
  }

  async revoke(context: SettingsContext, id: unknown, organizationId: unknown): Promise<void> {
    const organization = this.sessions.organization(context, organizationId);
    const grantId = uuidOrUndefined(id);
    if (!grantId) throw pageNotFound('Connected app');
    await this.oauth.revokeGrant(this.sessions.principal(context, organization), grantId);
  }
}
