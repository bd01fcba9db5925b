import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from 'src/config/app.config';
import type { AuthorizationRequest } from 'src/oauth/authorize/authorize-request';
import { OAuthInteraction } from 'src/oauth/entities';

/** A validated authorization request waiting for sign-in and consent (server-side only). */
export interface Interaction {
  id: string;
  clientRowId: string;
  redirectUri: string;
  state: string | null;
  codeChallenge: string;
  scope: string;
  resource: string;
  prompt: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface InteractionRow {
  id: string;
  client_id: string;
  redirect_uri: string;
  state: string | null;
  code_challenge: string;
  scope: string;
  resource: string;
  prompt: string | null;
}

const toInteraction = (r: InteractionRow): Interaction => ({
  id: r.id,
  clientRowId: r.client_id,
  redirectUri: r.redirect_uri,
  state: r.state,
  codeChallenge: r.code_challenge,
  scope: r.scope,
  resource: r.resource,
  prompt: r.prompt,
});

const COLUMNS = `id, client_id, redirect_uri, state, code_challenge, scope, resource, prompt`;

/**
 * `oauth_interactions`: what the browser's forms refer to by id. Bound to one browser session, lives
 * `interactionTtlSeconds`, completed at most once (the completing UPDATE is the single-use check).
 * Forms never carry the request itself, so it cannot be tampered with.
 */
@Injectable()
export class InteractionService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async create(
    sessionId: string,
    clientRowId: string,
    request: AuthorizationRequest,
    redirectUri: string,
  ): Promise<Interaction> {
    const [row] = await this.dataSource.query<InteractionRow[]>(
      `INSERT INTO oauth_interactions
         (session_id, client_id, redirect_uri, state, code_challenge, scope, resource, prompt, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now() + make_interval(secs => $9::int))
       RETURNING ${COLUMNS}`,
      [
        sessionId,
        clientRowId,
        redirectUri,
        request.state,
        request.codeChallenge,
        request.scope,
        request.resource,
        request.prompt,
        this.config.oauth.interactionTtlSeconds,
      ],
    );
    return toInteraction(row);
  }

  /** The interaction if it belongs to this session, is unexpired and not yet completed. */
  async findLive(id: string | undefined, sessionId: string): Promise<Interaction | null> {
    if (!id || !UUID.test(id)) return null;
    const [row] = await this.dataSource.query<InteractionRow[]>(
      `SELECT ${COLUMNS} FROM oauth_interactions
        WHERE id = $1 AND session_id = $2 AND completed_at IS NULL AND expires_at > now()`,
      [id, sessionId],
    );
    return row ? toInteraction(row) : null;
  }

  /**
   * Marks the interaction completed and returns it, or null when it is not live for this session
   * (expired, used, another session's). Run it first in the transaction that issues the answer, so a
   * replayed or parallel submission gets nothing.
   */
  async complete(
    id: string,
    sessionId: string,
    manager: EntityManager,
  ): Promise<Interaction | null> {
    if (!UUID.test(id)) return null;
    const result = await manager
      .createQueryBuilder()
      .update(OAuthInteraction)
      .set({ completedAt: () => 'now()' })
      .where('id = :id AND session_id = :sessionId', { id, sessionId })
      .andWhere('completed_at IS NULL AND expires_at > now()')
      .returning(COLUMNS)
      .execute();
    const rows = result.raw as InteractionRow[];
    return rows.length === 1 ? toInteraction(rows[0]) : null;
  }
}
