import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import type { UserPrincipal } from 'src/auth/principal';
import { Scope } from 'src/auth/scopes';
import { AccessService } from 'src/catalog/access.service';
import {
  ACCESS_LIFECYCLES,
  ACCESS_VIEWS,
  AccessItemDto,
  accessItemSchema,
  ListAccessResult,
  listAccessResultSchema,
  RequestAccessInput,
  RequestAccessResult,
  requestAccessResultSchema,
} from 'src/catalog/dto/access.dto';
import { ACCESS_STATUSES } from 'src/catalog/entities';
import { McpTool, ToolResult } from 'src/mcp/tool.decorator';
import {
  accessIdField,
  cursorField,
  dataProductIdField,
  dateField,
  defined,
  limitField,
  outputPortIdField,
} from 'src/mcp/tools/tool-schemas';

const describeItem = (i: AccessItemDto): string =>
  `${i.id}: ${i.consumer.type} ${i.consumer.name} → ${i.provider.dataProductId}/${i.provider.outputPortId} [${i.lifecycle}] "${i.purpose}"`;

@Injectable()
export class AccessTools {
  constructor(private readonly access: AccessService) {}

  @McpTool({
    name: 'access_list',
    title: 'List access agreements',
    description:
      'Lists access agreements (requests and approved access to output ports). view "mine" (default): where you, your team or its data product is the consumer; "to_approve": pending requests you may decide; "all": the whole organization.',
    scope: Scope.Read,
    input: z.object({
      view: z.enum(ACCESS_VIEWS).optional().describe('mine (default), to_approve or all.'),
      status: z
        .enum(ACCESS_STATUSES)
        .optional()
        .describe('requested, approved, rejected or canceled.'),
      lifecycle: z
        .enum(ACCESS_LIFECYCLES)
        .optional()
        .describe('requested, upcoming, active, expired, rejected or canceled.'),
      dataProductId: dataProductIdField
        .optional()
        .describe('Only agreements for this provider data product.'),
      limit: limitField,
      cursor: cursorField,
    }),
    output: listAccessResultSchema,
  })
  async list(
    principal: UserPrincipal,
    input: Record<string, unknown>,
  ): Promise<ToolResult<ListAccessResult>> {
    const result = await this.access.list(principal, defined(input));
    return {
      structured: result,
      text: result.items.map(describeItem).join('\n') || 'No access agreements match.',
    };
  }

  @McpTool({
    name: 'request_access',
    title: 'Request access to an output port',
    description:
      'Asks the owning team for access to an output port, for yourself (default), one of your teams or one of its data products. Give a purpose of at least 10 characters and, if the contract defines roles, the roles you need. May be approved at once (auto-approval); if an open request or live agreement exists it is returned instead of a new one.',
    scope: Scope.Write,
    input: z.object({
      dataProductId: dataProductIdField,
      outputPortId: outputPortIdField,
      purpose: z
        .string()
        .min(10)
        .max(2000)
        .describe('Why you need the data (at least 10 characters).'),
      roles: z
        .array(z.string().max(200))
        .max(20)
        .optional()
        .describe('Role names from the port’s data contract.'),
      consumerTeamId: z
        .string()
        .max(200)
        .optional()
        .describe('Request for this team instead of yourself.'),
      consumerDataProductId: z
        .string()
        .max(200)
        .optional()
        .describe('Request for this data product instead of yourself.'),
      endDate: dateField('When the access should end'),
    }),
    output: requestAccessResultSchema,
    annotations: { idempotentHint: true },
  })
  async request(
    principal: UserPrincipal,
    input: Record<string, unknown>,
  ): Promise<ToolResult<RequestAccessResult>> {
    const result = await this.access.request(
      principal,
      defined(input) as unknown as RequestAccessInput,
    );
    return {
      structured: result,
      text: `${result.accessId} [${result.lifecycle}]: ${result.message}`,
    };
  }

  @McpTool({
    name: 'access_approve',
    title: 'Approve an access request',
    description:
      'Approves a pending access request to a data product your team owns (needs the owner or approver team role, or organization owner).',
    scope: Scope.Write,
    input: z.object({
      accessId: accessIdField,
      comment: z.string().max(2000).optional().describe('Note for the requester.'),
      startDate: dateField('When access starts, default today'),
      endDate: dateField('When access ends (exclusive), default as requested'),
    }),
    output: accessItemSchema,
  })
  async approve(
    principal: UserPrincipal,
    input: Record<string, unknown>,
  ): Promise<ToolResult<AccessItemDto>> {
    const item = await this.access.approve(principal, defined(input) as { accessId: string });
    return { structured: item, text: `Approved. ${describeItem(item)}` };
  }

  @McpTool({
    name: 'access_reject',
    title: 'Reject an access request',
    description:
      'Rejects a pending access request to a data product your team owns, with a reason for the requester.',
    scope: Scope.Write,
    input: z.object({
      accessId: accessIdField,
      reason: z.string().min(1).max(2000).describe('Why, and what the requester could do instead.'),
    }),
    output: accessItemSchema,
    annotations: { destructiveHint: true },
  })
  async reject(
    principal: UserPrincipal,
    input: { accessId: string; reason: string },
  ): Promise<ToolResult<AccessItemDto>> {
    const item = await this.access.reject(principal, input);
    return { structured: item, text: `Rejected. ${describeItem(item)}` };
  }

  @McpTool({
    name: 'access_cancel',
    title: 'Cancel an access request or end access',
    description:
      'Cancels a pending request, or ends an approved agreement on endDate (default today, which ends it now). Allowed for the consumer, the consumer team, the provider team’s approvers and organization owners.',
    scope: Scope.Write,
    input: z.object({
      accessId: accessIdField,
      endDate: dateField('When approved access ends (exclusive), default today'),
      reason: z.string().max(2000).optional().describe('Why.'),
    }),
    output: accessItemSchema,
    annotations: { destructiveHint: true },
  })
  async cancel(
    principal: UserPrincipal,
    input: Record<string, unknown>,
  ): Promise<ToolResult<AccessItemDto>> {
    const item = await this.access.cancel(principal, defined(input) as { accessId: string });
    return { structured: item, text: `Done. ${describeItem(item)}` };
  }
}
