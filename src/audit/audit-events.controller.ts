import { Controller, Get, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { AuditEventsService } from 'src/audit/audit-events.service';
import { AuditEventPageDto, ListAuditEventsQueryDto } from 'src/audit/dto/audit-event.dto';
import { Authenticated } from 'src/auth/decorators/authenticated.decorator';
import { CurrentPrincipal } from 'src/auth/decorators/principal.decorator';
import type { Principal } from 'src/auth/principal';

@ApiTags('audit')
@Controller('api/v1/audit-events')
export class AuditEventsController {
  constructor(private readonly events: AuditEventsService) {}

  @Get()
  @Authenticated()
  @ApiOperation({
    summary: 'Read the audit log',
    description:
      'Events of your organization, newest first: sign-ins, consent, tokens, grant revocations, API keys (created, revoked, refused), memberships and MCP write tools. Owners, admins and organization keys only. Page with `limit` (≤ 100) and `cursor`. Events appear within about a second.',
  })
  @ApiOkResponse({ type: AuditEventPageDto })
  @ApiBadRequestResponse({
    description: 'Unknown type, bad date, limit out of range or bad cursor',
  })
  @ApiForbiddenResponse({ description: 'Members cannot read the audit log' })
  list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListAuditEventsQueryDto,
  ): Promise<AuditEventPageDto> {
    return this.events.list(principal, query);
  }
}
