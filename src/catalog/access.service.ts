import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { UserPrincipal } from 'src/auth/principal';
import { isUniqueViolation } from 'src/common/errors/database-errors';
import { conflict, forbidden, invalidArgument } from 'src/common/errors/domain-error';
import { requestMessage } from 'src/catalog/access-messages';
import {
  approversOf,
  findOpenOrLive,
  insertAgreement,
  parseRoles,
  resolveConsumer,
} from 'src/catalog/access-request';
import {
  AgreementParties,
  assertMayDecide,
  assertRequested,
  dateOnly,
  isCancellable,
  lifecycleOf,
  mayCancel,
  oneOf,
  optionalText,
  parseDate,
  parsePurpose,
  todayUtc,
} from 'src/catalog/access-rules';
import {
  consumerScope,
  toAccessItems,
  whereConsumerIn,
  whereLifecycle,
} from 'src/catalog/access-view';
import {
  findPort,
  findProduct,
  isUuid,
  loadTeamAccess,
  notFoundError,
  requireRef,
} from 'src/catalog/catalog-lookup';
import {
  ACCESS_LIFECYCLES,
  ACCESS_VIEWS,
  AccessItemDto,
  ApproveAccessInput,
  CancelAccessInput,
  ListAccessInput,
  ListAccessResult,
  RejectAccessInput,
  RequestAccessInput,
  RequestAccessResult,
} from 'src/catalog/dto/access.dto';
import {
  ACCESS_STATUSES,
  AccessAgreement,
  DataContract,
  DataProduct,
  OutputPort,
} from 'src/catalog/entities';
import { nextCursor, parsePage } from 'src/catalog/pagination';
import { TeamAccess, TeamPermission } from 'src/catalog/team-permissions';

interface DecisionContext {
  row: AccessAgreement;
  parties: AgreementParties;
  access: TeamAccess;
  today: string;
}
/** Checks a decision and returns the columns to change. */
type Decision = (ctx: DecisionContext) => Partial<AccessAgreement>;

@Injectable()
export class AccessService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async list(principal: UserPrincipal, input: ListAccessInput = {}): Promise<ListAccessResult> {
    const m = this.dataSource.manager;
    const view = oneOf(input.view ?? 'mine', ACCESS_VIEWS, 'view');
    const page = parsePage(input.limit, input.cursor);
    const today = todayUtc();
    const access = await loadTeamAccess(m, principal);
    const qb = m
      .createQueryBuilder(AccessAgreement, 'a')
      .where('a.organization_id = :org', { org: principal.organizationId });
    if (view === 'mine') whereConsumerIn(qb, await consumerScope(m, principal, access));
    if (view === 'to_approve') {
      qb.andWhere(`a.status = 'requested'`);
      if (!access.isOrganizationOwner) {
        const teams = access
          .memberTeamIds()
          .filter((id) => access.can(id, TeamPermission.AccessApprove));
        if (teams.length === 0) return { items: [] };
        qb.andWhere('a.provider_team_id IN (:...approveTeams)', { approveTeams: teams });
      }
    }
    if (input.status !== undefined) {
      qb.andWhere('a.status = :status', { status: oneOf(input.status, ACCESS_STATUSES, 'status') });
    }
    if (input.lifecycle !== undefined) {
      whereLifecycle(qb, oneOf(input.lifecycle, ACCESS_LIFECYCLES, 'lifecycle'), today);
    }
    if (input.dataProductId !== undefined) {
      const ref = requireRef(input.dataProductId, 'dataProductId');
      const product = await findProduct(m, principal.organizationId, ref);
      qb.andWhere('a.provider_data_product_id = :productId', { productId: product.id });
    }
    const rows = await qb
      .orderBy('a.created_at', 'DESC')
      .addOrderBy('a.id', 'DESC')
      .offset(page.offset)
      .limit(page.limit + 1)
      .getMany();
    const items = await toAccessItems(m, principal, access, rows.slice(0, page.limit), today);
    const cursor = nextCursor(page, rows.length);
    return cursor ? { items, nextCursor: cursor } : { items };
  }

  async request(principal: UserPrincipal, input: RequestAccessInput): Promise<RequestAccessResult> {
    const purpose = parsePurpose(input.purpose);
    const endDate = input.endDate === undefined ? null : parseDate(input.endDate, 'endDate');
    if (endDate !== null && endDate <= todayUtc()) {
      throw invalidArgument('endDate must be after today');
    }
    try {
      return await this.dataSource.transaction((tx) =>
        this.requestIn(tx, principal, input, purpose, endDate),
      );
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw conflict('An identical request was created at the same moment: call access_list');
      }
      throw err;
    }
  }

  async approve(principal: UserPrincipal, input: ApproveAccessInput): Promise<AccessItemDto> {
    const comment = optionalText(input.comment, 'comment');
    return this.decide(principal, input.accessId, ({ row, access, today }) => {
      assertMayDecide(row, access, 'approve');
      assertRequested(row, 'approve');
      const start = input.startDate === undefined ? today : parseDate(input.startDate, 'startDate');
      const end =
        input.endDate === undefined ? dateOnly(row.endDate) : parseDate(input.endDate, 'endDate');
      if (end !== null && (end <= start || end <= today)) {
        throw invalidArgument('endDate must be after startDate and after today');
      }
      return {
        status: 'approved',
        startDate: start,
        endDate: end,
        decidedBy: principal.userId,
        decisionComment: comment ?? null,
      };
    });
  }

  async reject(principal: UserPrincipal, input: RejectAccessInput): Promise<AccessItemDto> {
    const reason = optionalText(input.reason, 'reason');
    if (!reason) {
      throw invalidArgument('reason is required: tell the requester why, and what to use instead');
    }
    return this.decide(principal, input.accessId, ({ row, access }) => {
      assertMayDecide(row, access, 'reject');
      assertRequested(row, 'reject');
      return { status: 'rejected', decidedBy: principal.userId, decisionComment: reason };
    });
  }

  async cancel(principal: UserPrincipal, input: CancelAccessInput): Promise<AccessItemDto> {
    const reason = optionalText(input.reason, 'reason');
    return this.decide(principal, input.accessId, ({ row, parties, access, today }) => {
      if (!mayCancel(access, principal.userId, parties)) {
        throw forbidden(
          'You cannot cancel this agreement: only the consumer user, consumer-team members with ACCESS_REQUEST or ACCESS_TERMINATE, provider-team members with ACCESS_APPROVE or ACCESS_TERMINATE, and organization owners can',
        );
      }
      if (!isCancellable(row, today)) {
        throw conflict(
          `Access ${row.id} is ${lifecycleOf(row, today)}: only requested, upcoming or active agreements can be cancelled`,
        );
      }
      if (row.status === 'requested') {
        return {
          status: 'canceled',
          decidedBy: principal.userId,
          decisionComment: reason ?? row.decisionComment,
        };
      }
      const end = input.endDate === undefined ? today : parseDate(input.endDate, 'endDate');
      const current = dateOnly(row.endDate);
      if (end < today) {
        throw invalidArgument('endDate cannot be in the past: omit it to end the access today');
      }
      if (current !== null && end > current) {
        throw invalidArgument(`Cancelling can only bring the end date forward (it is ${current})`);
      }
      return { endDate: end, decisionComment: reason ?? row.decisionComment };
    });
  }

  private async requestIn(
    tx: EntityManager,
    principal: UserPrincipal,
    input: RequestAccessInput,
    purpose: string,
    endDate: string | null,
  ): Promise<RequestAccessResult> {
    const org = principal.organizationId;
    const product = await findProduct(tx, org, requireRef(input.dataProductId, 'dataProductId'));
    const port = await findPort(tx, product, requireRef(input.outputPortId, 'outputPortId'));
    // Row lock on the port: concurrent requests for it run one after the other (no duplicates).
    await tx
      .createQueryBuilder(OutputPort, 'p')
      .setLock('pessimistic_write')
      .where('p.id = :id AND p.organization_id = :org', { id: port.id, org })
      .getOne();
    const portRef = `${product.externalId}/${port.externalId}`;
    if (product.status === 'retired' || port.status === 'retired') {
      throw conflict(`${portRef} is retired: access can no longer be requested`);
    }
    const access = await loadTeamAccess(tx, principal);
    const consumer = await resolveConsumer(tx, principal, access, input, product);
    const contract = port.dataContractId
      ? await tx.findOne(DataContract, { where: { id: port.dataContractId, organizationId: org } })
      : null;
    const roles = parseRoles(input.roles, contract, portRef);
    const existing = await findOpenOrLive(tx, port, consumer);
    const row =
      existing ??
      (await insertAgreement(tx, principal, access, product, port, consumer, {
        purpose,
        roles,
        endDate,
      }));
    const lifecycle = lifecycleOf(row);
    const approvers =
      lifecycle === 'requested'
        ? { approvers: await approversOf(tx, org, access, row.providerTeamId) }
        : {};
    return {
      accessId: row.id,
      status: row.status,
      lifecycle,
      autoApproved: row.autoApproved,
      created: !existing,
      ...approvers,
      message: requestMessage({ product, port, consumer, row, lifecycle, created: !existing }),
    };
  }

  /** Locks the agreement, checks and applies the decision, returns the updated item; one transaction. */
  private decide(
    principal: UserPrincipal,
    accessId: unknown,
    decision: Decision,
  ): Promise<AccessItemDto> {
    const org = principal.organizationId;
    const id = requireRef(accessId, 'accessId');
    const missing = notFoundError(
      `Access agreement "${id}" not found. Call access_list to find access ids.`,
    );
    if (!isUuid(id)) return Promise.reject(missing);
    return this.dataSource.transaction(async (tx) => {
      const row = await tx
        .createQueryBuilder(AccessAgreement, 'a')
        .setLock('pessimistic_write')
        .where('a.id = :id AND a.organization_id = :org', { id, org })
        .getOne();
      if (!row) throw missing;
      const access = await loadTeamAccess(tx, principal);
      const consumerProduct = row.consumerDataProductId
        ? await tx.findOne(DataProduct, {
            where: { id: row.consumerDataProductId, organizationId: org },
          })
        : null;
      const parties = { ...row, consumerProductTeamId: consumerProduct?.ownerTeamId ?? null };
      const today = todayUtc();
      const changes = decision({ row, parties, access, today });
      await tx.update(AccessAgreement, { id: row.id, organizationId: org }, changes);
      const saved = await tx.findOneByOrFail(AccessAgreement, { id: row.id, organizationId: org });
      const [item] = await toAccessItems(tx, principal, access, [saved], today);
      return item;
    });
  }
}
