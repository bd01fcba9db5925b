import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource } from 'typeorm';
import type { UserPrincipal } from 'src/auth/principal';
import { invalidArgument } from 'src/common/errors/domain-error';
import { oneOf } from 'src/catalog/access-rules';
import {
  findProduct,
  loadTeamAccess,
  requireRef,
  teamAndDescendants,
} from 'src/catalog/catalog-lookup';
import { toInputPorts, toOutputPorts, toSummaries } from 'src/catalog/data-products.mapper';
import type {
  DataProductDto,
  FetchDataProductInput,
  SearchDataProductsInput,
  SearchDataProductsResult,
} from 'src/catalog/dto/data-products.dto';
import { Certification, DATA_PRODUCT_STATUSES, DataProduct } from 'src/catalog/entities';
import { nextCursor, parsePage } from 'src/catalog/pagination';

const escapeLike = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);

@Injectable()
export class DataProductsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Products of the organization, best certification first, then by name. */
  async search(
    principal: UserPrincipal,
    input: SearchDataProductsInput,
  ): Promise<SearchDataProductsResult> {
    const m = this.dataSource.manager;
    const org = principal.organizationId;
    const query = typeof input.query === 'string' ? input.query.trim() : '';
    if (!query) throw invalidArgument('query is required: pass words to look for, or "*" for all');
    if (query.length > 200) throw invalidArgument('query must be at most 200 characters');
    const page = parsePage(input.limit, input.cursor);
    const qb = m
      .createQueryBuilder(DataProduct, 'p')
      .leftJoin(
        Certification,
        'c',
        'c.id = p.certification_id AND c.organization_id = p.organization_id',
      )
      .where('p.organization_id = :org', { org });
    const status = input.status ?? 'active';
    if (status !== '*') {
      qb.andWhere('p.status = :status', { status: oneOf(status, DATA_PRODUCT_STATUSES, 'status') });
    }
    if (input.teamId !== undefined) {
      const teamIds = await teamAndDescendants(m, org, requireRef(input.teamId, 'teamId'));
      qb.andWhere('p.owner_team_id IN (:...teamIds)', { teamIds });
    }
    if (input.tag !== undefined) {
      qb.andWhere(
        'EXISTS (SELECT 1 FROM jsonb_array_elements_text(p.tags) AS t(tag) WHERE lower(t.tag) = lower(:tag))',
        { tag: requireRef(input.tag, 'tag') },
      );
    }
    if (query !== '*') {
      query
        .split(/\s+/)
        .slice(0, 10)
        .forEach((word, i) => {
          const key = `w${i}`;
          qb.andWhere(
            new Brackets((w) =>
              w
                .where(`p.name ILIKE :${key}`)
                .orWhere(`p.external_id ILIKE :${key}`)
                .orWhere(
                  `concat_ws(' ', p.description->>'purpose', p.description->>'usage', p.description->>'limitations') ILIKE :${key}`,
                )
                .orWhere(
                  `EXISTS (SELECT 1 FROM jsonb_array_elements_text(p.tags) AS pt(tag) WHERE pt.tag ILIKE :${key})`,
                )
                .orWhere(
                  `EXISTS (SELECT 1 FROM output_ports op WHERE op.organization_id = p.organization_id AND op.data_product_id = p.id AND (op.external_id ILIKE :${key} OR op.name ILIKE :${key}))`,
                ),
            ),
            { [key]: `%${escapeLike(word)}%` },
          );
        });
    }
    const rows = await qb
      .orderBy('c.rank', 'ASC', 'NULLS LAST')
      .addOrderBy('p.name', 'ASC')
      .addOrderBy('p.id', 'ASC')
      .offset(page.offset)
      .limit(page.limit + 1)
      .getMany();
    const results = await toSummaries(m, org, rows.slice(0, page.limit));
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
