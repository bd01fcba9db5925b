import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Refresh-token rotation in the database (RFC 9700 §4.14), for the token endpoint's common case:
 * - `oauth_refresh_superseded`: the one definition of an old token, used by the rotation's state
 *   query and by the function below. A token is old once a sibling was used (it was never used
 *   itself), or once a successor was used or the grace period since its first use is over.
 *   PL/pgSQL, not SQL: a SQL function with sub-selects is not inlined and would be planned again on
 *   every call, while PL/pgSQL keeps its plans for the session.
 * - `oauth_rotate_refresh_token`: one call that locks the token's grant (serialising its rotations
 *   and revocations, as the transaction of the full path does), reads the token afresh, and only if
 *   it is usable (this client's, for this resource, not revoked, expired or old, its user enabled
 *   and still a member) marks it used and stores its successor. It returns the grant, user,
 *   organization and scope for the access token; nulls, having written nothing, for any other
 *   token. The caller then takes the full path, which explains the refusal (and revokes the grant
 *   on reuse).
 */
export class RefreshRotationFunctions1764518400000 implements MigrationInterface {
  name = 'RefreshRotationFunctions1764518400000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION oauth_refresh_superseded(t oauth_refresh_tokens, grace_seconds double precision)
      RETURNS boolean LANGUAGE plpgsql STABLE AS $$
      BEGIN
        IF t.used_at IS NULL THEN
          RETURN t.parent_id IS NOT NULL AND EXISTS (
            SELECT 1 FROM oauth_refresh_tokens s
             WHERE s.parent_id = t.parent_id AND s.id <> t.id AND s.used_at IS NOT NULL);
        END IF;
        RETURN t.used_at < now() - make_interval(secs => grace_seconds) OR EXISTS (
          SELECT 1 FROM oauth_refresh_tokens c WHERE c.parent_id = t.id AND c.used_at IS NOT NULL);
      END
      $$;

      CREATE FUNCTION oauth_rotate_refresh_token(
        p_token_hash text,
        p_client_id uuid,
        p_resource text,
        p_grace_seconds double precision,
        p_successor_hash text,
        p_successor_idle_expiry timestamptz,
        OUT grant_id uuid,
        OUT user_id uuid,
        OUT organization_id uuid,
        OUT scope text
      ) LANGUAGE plpgsql VOLATILE AS $$
      DECLARE
        v_token_id uuid;
        v_resource text;
        v_absolute_expiry timestamptz;
      BEGIN
        PERFORM 1 FROM oauth_refresh_tokens rt JOIN oauth_grants g ON g.id = rt.grant_id
         WHERE rt.token_hash = p_token_hash FOR UPDATE OF g;
        IF NOT FOUND THEN
          RETURN;
        END IF;
        -- A new statement of a volatile function: a new snapshot, which sees whatever the previous
        -- holder of the lock committed.
        SELECT rt.id, rt.grant_id, g.user_id, g.organization_id, rt.scope, rt.resource,
               rt.absolute_expires_at
          INTO v_token_id, grant_id, user_id, organization_id, scope, v_resource, v_absolute_expiry
          FROM oauth_refresh_tokens rt
          JOIN oauth_grants g ON g.id = rt.grant_id
          JOIN users u ON u.id = g.user_id
          JOIN memberships m ON m.user_id = g.user_id AND m.organization_id = g.organization_id
         WHERE rt.token_hash = p_token_hash
           AND rt.client_id = p_client_id
           AND (p_resource IS NULL OR rt.resource = p_resource)
           AND rt.revoked_at IS NULL AND g.revoked_at IS NULL AND u.disabled_at IS NULL
           AND rt.expires_at > now() AND rt.absolute_expires_at > now()
           AND NOT oauth_refresh_superseded(rt, p_grace_seconds);
        IF NOT FOUND THEN
          RETURN;
        END IF;
        UPDATE oauth_refresh_tokens SET used_at = now() WHERE id = v_token_id AND used_at IS NULL;
        INSERT INTO oauth_refresh_tokens
          (token_hash, grant_id, client_id, parent_id, scope, resource, expires_at, absolute_expires_at)
        VALUES (p_successor_hash, grant_id, p_client_id, v_token_id, scope, v_resource,
                LEAST(p_successor_idle_expiry, v_absolute_expiry), v_absolute_expiry);
        -- last_used_at at most once a minute: the grant row is locked already, the client's is not.
        UPDATE oauth_grants g SET last_used_at = now()
         WHERE g.id = grant_id
           AND (g.last_used_at IS NULL OR g.last_used_at < now() - interval '1 minute');
        UPDATE oauth_clients c SET last_used_at = now()
         WHERE c.id = p_client_id
           AND (c.last_used_at IS NULL OR c.last_used_at < now() - interval '1 minute');
      END
      $$;
    `);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP FUNCTION IF EXISTS oauth_rotate_refresh_token(text, uuid, text, double precision, text, timestamptz);
      DROP FUNCTION IF EXISTS oauth_refresh_superseded(oauth_refresh_tokens, double precision);
    `);
  }
}
