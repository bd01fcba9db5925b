import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, MoreThanOrEqual, Not } from 'typeorm';
import type { UserPrincipal } from 'src/auth/principal';
import { conflict, DomainError, ErrorCode, invalidArgument } from 'src/common/errors/domain-error';
import { lifecycleOf, parsePurpose, todayUtc } from 'src/catalog/access-rules';
import { consumerScope, findScopedAgreements } from 'src/catalog/access-view';
import { findPort, findProduct, loadTeamAccess, requireRef } from 'src/catalog/catalog-lookup';
import type { ExecuteQueryInput, ExecuteQueryResult } from 'src/catalog/dto/query.dto';
import {
  AccessAgreement,
  DataContract,
  DataProduct,
  OutputPort,
  QueryLogEntry,
} from 'src/catalog/entities';
import type { QueryPlatform, QueryPort, QueryTable } from 'src/catalog/query/query-platform';
import { QueryPlatforms } from 'src/catalog/query/query-platforms';
import { guardSql, MAX_QUERY_LENGTH } from 'src/catalog/query/sql-guard';
import { evaluateTermsOfUse } from 'src/catalog/query/terms-of-use';

/** At most this many rows are returned; one more is fetched to tell whether there were more. */
export const MAX_ROWS = 100;

/** What the query log records about one call, filled in as the checks pass. */
interface CallRecord {
  sql: string;
  purpose: string;
  outputPortId: string | null;
  allowed: boolean;
}

@Injectable()
export class QueryService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly platforms: QueryPlatforms,
  ) {}

  /**
   * Runs a read-only query on an output port's data, after its safety checks: port state, an active
   * agreement, purpose, SQL guard, terms of use. The port's real database answers when a connection
   * is configured for its server, the example-data sandbox otherwise. Every call is logged.
   */
  async execute(principal: UserPrincipal, input: ExecuteQueryInput): Promise<ExecuteQueryResult> {
    const call: CallRecord = {
      sql: typeof input.query === 'string' ? input.query.slice(0, MAX_QUERY_LENGTH) : '',
      purpose: typeof input.purpose === 'string' ? input.purpose.slice(0, 2000) : '',
      outputPortId: null,
      allowed: false,
    };
    try {
      const result = await this.checkAndRun(principal, input, call);
      await this.log(principal, call, 'ok', result.rowCount);
      return result;
    } catch (err) {
      const outcome = err instanceof DomainError ? err.code : 'error';
      // A failed log write must not hide the original error.
      await this.log(principal, call, outcome, null).catch(() => undefined);
      throw err;
    }
  }

  private async checkAndRun(
    principal: UserPrincipal,
    input: ExecuteQueryInput,
    call: CallRecord,
  ): Promise<ExecuteQueryResult> {
    const m = this.dataSource.manager;
    const org = principal.organizationId;
    const product = await findProduct(m, org, requireRef(input.dataProductId, 'dataProductId'));
    const port = await findPort(m, product, requireRef(input.outputPortId, 'outputPortId'));
    call.outputPortId = port.id;
    const contract = port.dataContractId
      ? await m.findOne(DataContract, { where: { id: port.dataContractId, organizationId: org } })
      : null;
    assertQueryable(product, port, contract);
    const grantedRoles = await this.activeRoles(principal, product, port);
    const purpose = parsePurpose(input.purpose);
    const target: QueryPort = {
      id: port.id,
      organizationId: org,
      ref: `${product.externalId}/${port.externalId}`,
      type: port.type,
      server: port.server ?? {},
      contract: contract?.document ?? null,
    };
    const platform = await this.platforms.for(target);
    const tables = await platform.tables(target);
    if (tables.length === 0) throw nothingToQuery(target, platform);
    if (typeof input.query !== 'string' || input.query.trim() === '') {
      throw invalidArgument('query is required: one SELECT statement over the tables of the port');
    }
    const guard = guardSql(
      input.query,
      tables.map((t) => t.name),
    );
    if (!guard.ok) {
      throw invalidArgument(`The query was refused: ${guard.reason}. ${describeTables(tables)}`);
    }
    const terms = evaluateTermsOfUse({
      contract: contract?.document ?? null,
      purpose,
      grantedRoles,
      query: guard,
      queriesToday: await this.queriesToday(principal, port.id),
    });
    if (terms.reasons.length) {
      throw new DomainError(
        ErrorCode.TermsOfUseViolation,
        `The query violates the terms of use of ${product.externalId}/${port.externalId}: ${terms.reasons.map((r) => r.message).join(' ')}`,
        { reasons: terms.reasons },
      );
    }
    call.allowed = true;
    const outcome = await platform.run({
      port: target,
      tables,
      hiddenColumns: terms.hiddenColumns,
      sql: guard.sql,
      maxRows: MAX_ROWS + 1,
    });
    switch (outcome.kind) {
      case 'unavailable':
        throw new DomainError(ErrorCode.Unavailable, outcome.message);
      case 'timeout':
        throw new DomainError(
          ErrorCode.QueryTimeout,
          `The query ran longer than ${platform.timeoutMs} ms and was stopped. Make it cheaper: filter with WHERE, aggregate, and avoid cross joins and unbounded recursion.`,
        );
      case 'error':
        throw invalidArgument(`The query failed: ${outcome.message}. ${describeTables(tables)}`);
      case 'ok':
        return {
          columns: outcome.columns,
          rows: outcome.rows.slice(0, MAX_ROWS),
          rowCount: Math.min(outcome.rows.length, MAX_ROWS),
          truncated: outcome.rows.length > MAX_ROWS,
          evaluation: { decision: 'allowed', reasons: [] },
          source: platform.source(target),
        };
    }
  }

  /** Roles of the caller's active agreements for the port; access_required when there is none. */
  private async activeRoles(
    principal: UserPrincipal,
    product: DataProduct,
    port: OutputPort,
  ): Promise<string[]> {
    const m = this.dataSource.manager;
    const access = await loadTeamAccess(m, principal);
    const scope = await consumerScope(m, principal, access);
    const agreements = await findScopedAgreements(m, principal.organizationId, scope, [port.id]);
    const today = todayUtc();
    const active = agreements.filter((a) => lifecycleOf(a, today) === 'active');
    if (active.length === 0) throw accessRequired(product, port, agreements, today);
    return [...new Set(active.flatMap((a) => a.roles ?? []))];
  }

  private async queriesToday(principal: UserPrincipal, outputPortId: string): Promise<number> {
    const startOfDay = new Date(`${todayUtc()}T00:00:00.000Z`);
    return this.dataSource.manager.count(QueryLogEntry, {
      where: {
        organizationId: principal.organizationId,
        userId: principal.userId,
        outputPortId,
        decision: 'allowed',
        // A query the database never received (unreachable) does not use up the day's allowance.
        outcome: Not(ErrorCode.Unavailable),
        createdAt: MoreThanOrEqual(startOfDay),
      },
    });
  }

  private async log(
    principal: UserPrincipal,
    call: CallRecord,
    outcome: string,
    rowCount: number | null,
  ): Promise<void> {
    await this.dataSource.manager.insert(QueryLogEntry, {
      organizationId: principal.organizationId,
      userId: principal.userId,
      apiKeyId: principal.apiKeyId ?? null,
      clientId: principal.clientId ?? null,
      outputPortId: call.outputPortId,
      sql: call.sql,
      purpose: call.purpose,
      decision: call.allowed ? 'allowed' : 'denied',
      outcome,
      rowCount,
    });
  }
}

function assertQueryable(
  product: DataProduct,
  port: OutputPort,
  contract: DataContract | null,
): void {
  const ref = `${product.externalId}/${port.externalId}`;
  if (port.status !== 'active') {
    throw conflict(
      `Output port ${ref} is ${port.status}: only active ports can be queried. Call fetch to find an active port.`,
    );
  }
  if (product.status === 'retired' || contract?.status === 'retired') {
    throw conflict(
      `${ref} is retired (${product.status === 'retired' ? 'data product' : 'data contract'}) and can no longer be queried`,
    );
  }
}

function accessRequired(
  product: DataProduct,
  port: OutputPort,
  agreements: AccessAgreement[],
  today: string,
): DomainError {
  const ref = `${product.externalId}/${port.externalId}`;
  const pending = agreements.find((a) => lifecycleOf(a, today) === 'requested');
  const upcoming = agreements.find((a) => lifecycleOf(a, today) === 'upcoming');
  const next = pending
    ? `Your request ${pending.id} is still waiting for approval by the provider team.`
    : upcoming
      ? `Your agreement ${upcoming.id} starts on ${String(upcoming.startDate)}.`
      : `Call request_access with dataProductId "${product.externalId}", outputPortId "${port.externalId}" and a purpose.`;
  return new DomainError(ErrorCode.AccessRequired, `You have no active access to ${ref}. ${next}`, {
    dataProductId: product.externalId,
    outputPortId: port.externalId,
  });
}

/** A port without tables on the platform that serves it: say why, and who can change it. */
function nothingToQuery(port: QueryPort, platform: QueryPlatform): DomainError {
  const why =
    platform.engine === 'sandbox'
      ? `it has no example rows here, and no database of type ${port.type} is connected for its server (the operator of this catalog server maps it in QUERY_CONNECTIONS_FILE)`
      : 'its data contract lists no tables (schema)';
  return conflict(`${port.ref} cannot be queried: ${why}.`);
}

function describeTables(tables: QueryTable[]): string {
  return `Tables: ${tables
    .map((t) => `${t.name}(${t.columns.map((c) => `${c.name} ${c.type}`).join(', ')})`)
    .join('; ')}.`;
}
