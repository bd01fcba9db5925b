import { Inject, Injectable } from '@nestjs/common';
import { ApiKeyService } from 'src/api-keys/api-key.service';
import type { ApiKeyDto } from 'src/api-keys/dto/api-key.dto';
import { APP_CONFIG, AppConfig } from 'src/config/app.config';
import { badRequest, pageNotFound } from 'src/settings/settings.errors';
import { formField, uuidOrUndefined } from 'src/settings/settings-request';
import {
  SettingsContext,
  SettingsOrganization,
  SettingsSessionService,
} from 'src/settings/settings-session.service';
import type { CreatedKeyView } from 'src/settings/views/api-key-created.view';
import type { ApiKeysView, KeyForm, KeyRow } from 'src/settings/views/api-keys.view';
import { isAdminRole } from 'src/settings/views/settings-layout';

const DAY_MS = 86_400_000;

const toRow = (k: ApiKeyDto, organization: SettingsOrganization): KeyRow => ({
  id: k.id,
  name: k.name,
  hint: k.displayHint,
  kind: k.kind,
  organization: { id: organization.id, name: organization.name },
  ownerEmail: k.userEmail,
  readOnly: k.readOnly,
  createdAt: k.createdAt,
  lastUsedAt: k.lastUsedAt,
  expiresAt: k.expiresAt,
});

/** The create form as typed: kept for the page when the key is refused. */
export function readKeyForm(body: unknown): KeyForm {
  return {
    name: formField(body, 'name'),
    expiresOn: formField(body, 'expires_on'),
    readOnly: formField(body, 'read_only') === 'yes',
    organizationKey: formField(body, 'kind') === 'organization',
  };
}

/** `YYYY-MM-DD` → the end of that day (UTC); empty → no expiry. */
export function parseExpiry(value: string | undefined, now = Date.now()): Date | null {
  if (!value) return null;
  const start = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00.000Z`) : null;
  if (!start || Number.isNaN(start.getTime()) || start.toISOString().slice(0, 10) !== value) {
    throw badRequest('The expiry date must be a date like 2030-12-31.');
  }
  const end = new Date(start.getTime() + DAY_MS);
  if (end.getTime() <= now) {
    throw badRequest('The expiry date is in the past: choose today or a later day, or none.');
  }
  return end;
}

/**
 * View models of the API keys pages over ApiKeyService, always with the session principal of the
 * organization concerned (the service decides who may see, create and revoke what).
 */
@Injectable()
export class SettingsKeysService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly keys: ApiKeyService,
    private readonly sessions: SettingsSessionService,
  ) {}

  /** Your keys in every organization; owners and admins also the current one's other keys. */
  async view(context: SettingsContext, form: KeyForm = {}): Promise<ApiKeysView> {
    const organization = this.sessions.currentOrganization(context);
    const mine: KeyRow[] = [];
    for (const org of context.organizations) {
      const principal = this.sessions.principal(context, org);
      const keys = await this.keys.list(principal, { scope: 'mine' });
      mine.push(...keys.map((k) => toRow(k, org)));
    }
    let others: KeyRow[] | null = null;
    if (isAdminRole(organization.role)) {
      const principal = this.sessions.principal(context, organization);
      const all = await this.keys.list(principal, { scope: 'organization' });
      others = all.filter((k) => k.userId !== context.user.id).map((k) => toRow(k, organization));
    }
    return {
      organization,
      mine,
      others,
      canCreateOrganizationKey: organization.role === 'owner',
      form,
    };
  }

  /** Creates a key in the current organization; the secret goes to the one page that shows it. */
  async create(context: SettingsContext, form: KeyForm): Promise<CreatedKeyView> {
    const organization = this.sessions.currentOrganization(context);
    const expiresAt = parseExpiry(form.expiresOn);
    const created = await this.keys.create(this.sessions.principal(context, organization), {
      name: form.name ?? '',
      kind: form.organizationKey ? 'organization' : 'user',
      readOnly: form.readOnly ?? false,
      expiresAt,
    });
    return {
      key: created.key,
      name: created.name,
      kind: created.kind,
      organizationName: organization.name,
      readOnly: created.readOnly,
      expiresAt: created.expiresAt,
      mcpUrl: this.config.mcpResource,
    };
  }

  /** The key a revoke confirmation is about: yours, or (owners, admins) any of the organization. */
  async find(context: SettingsContext, id: unknown, organizationId: unknown): Promise<KeyRow> {
    const organization = this.sessions.organization(context, organizationId);
    const keyId = uuidOrUndefined(id);
    const principal = this.sessions.principal(context, organization);
    const scope = isAdminRole(organization.role) ? 'organization' : 'mine';
    const key = keyId && (await this.keys.list(principal, { scope })).find((k) => k.id === keyId);
    if (!key) throw pageNotFound('API key');
    return toRow(key, organization);
  }

  async revoke(context: SettingsContext, id: unknown, organizationId: unknown): Promise<void> {
    const organization = this.sessions.organization(context, organizationId);
    const keyId = uuidOrUndefined(id);
    if (!keyId) throw pageNotFound('API key');
    await this.keys.revoke(this.sessions.principal(context, organization), keyId);
  }
}
