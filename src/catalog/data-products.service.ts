import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { UserPrincipal } from 'src/auth/principal';
import { invalidArgument } from 'src/common/errors/domain-error';
import { oneOf } from 'src/catalog/access-rules';
import {
  findProduct,
  findTeam,
  isUuid,
  loadTeamAccess,
  requireRef,
  teamNotFoundError,
} from 'src/catalog/catalog-lookup';
import { toInputPorts, toOutputPorts, toSummaries } from 'src/catalog/data-products.mapper';
import type {
  DataProductDto,
  FetchDataProductInput,
  SearchDataProductsInput,
  SearchDataProductsResult,
} from 'src/catalog/dto/data-products.dto';
import { DATA_PRODUCT_STATUSES } from 'src/catalog/entities';
import { nextCursor, parsePage } from 'src/catalog/pagination';
import {
  isUnknownTeamRow,
  searchStatement,
  SearchProductRow,
  toSearchSummary,
  wordPatterns,
} from 'src/catalog/search-products';
import { queryPrepared } from 'src/database/prepared';

@Injectable()
export class DataProductsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Products of the organization, best certification first, then by name: one statement (see
   * searchStatement), the arguments checked here first.
   */
  async search(
    principal: UserPrincipal,
    input: SearchDataProductsInput,
  ): Promise<SearchDataProductsResult> {
    const org = principal.organizationId;
    const query = typeof input.query === 'string' ? input.query.trim() : '';
    if (!query) throw invalidArgument('query is required: pass words to look for, or "*" for all');
    if (query.length > 200) throw invalidArgument('query must be at most 200 characters');
    const page = parsePage(input.limit, input.cursor);
    const status = input.status ?? 'active';
    const statusFilter = status === '*' ? null : oneOf(status, DATA_PRODUCT_STATUSES, 'status');
    const teamRef = input.teamId === undefined ? null : requireRef(input.teamId, 'teamId');
    let tag: string | null;
    try {
      tag = input.tag === undefined ? null : requireRef(input.tag, 'tag');
    } catch (err) {
      // An unknown team is reported before a bad tag, as when the team was looked up first.
      if (teamRef !== null) await findTeam(this.dataSource.manager, org, teamRef);
      throw err;
    }
    const { statement, values } = searchStatement({
      organizationId: org,
      status: statusFilter,
      team:
        teamRef === null
          ? null
          : { ref: teamRef, uuid: isUuid(teamRef) ? teamRef.toLowerCase() : null },
      tag,
      patterns: wordPatterns(query),
      offset: page.offset,
      limit: page.limit + 1,
    });
    const rows = await queryPrepared<SearchProductRow[]>(this.dataSource, statement, values);
    if (teamRef !== null && isUnknownTeamRow(rows[0])) throw teamNotFoundError(teamRef);
    const results = rows.slice(0, page.limit).map(toSearchSummary);
    const cursor = nextCursor(page, rows.length);
    return cursor ? { results, nextCursor: cursor } : { results };
  }

  /** One product with its ports, inlined contracts and the caller's access to each port. */
  async fetch(principal: UserPrincipal, input: FetchDataProductInput): Promise<DataProductDto> {
    const m = this.dataSource.manager;
    const product = await findProduct(
      m,
      principal.organizationId,
      requireRef(input.dataProductId, 'dataProductId'),
    );
    const [summary] = await toSummaries(m, principal.organizationId, [product]);
    const access = await loadTeamAccess(m, principal);
    const { outputPorts: _summaryPorts, ...rest } = summary;
    return {
      ...rest,
      inputPorts: await toInputPorts(m, product),
      outputPorts: await toOutputPorts(m, principal, access, product),
    };
  }
}
