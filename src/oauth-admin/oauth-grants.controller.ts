import { Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import {
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Scope } from 'src/auth/scopes';
import { Authenticated } from 'src/auth/decorators/authenticated.decorator';
import { CurrentPrincipal } from 'src/auth/decorators/principal.decorator';
import type { Principal } from 'src/auth/principal';
import { GrantDto, ListGrantsQueryDto } from 'src/oauth-admin/dto/oauth-admin.dto';
import { OAuthAdminService } from 'src/oauth-admin/oauth-admin.service';

@ApiTags('connected apps')
@Controller('api/v1/oauth/grants')
export class OAuthGrantsController {
  constructor(private readonly oauth: OAuthAdminService) {}

  @Get()
  @Authenticated()
  @ApiOperation({
    summary: 'List OAuth grants',
    description:
      'Active grants (apps you allowed to act for you) in your organization: client, redirect hosts, scope, created, last used. With `scope=organization`, everyone’s (owners, admins and organization keys).',
  })
  @ApiOkResponse({ type: GrantDto, isArray: true })
  @ApiForbiddenResponse({ description: '`scope=organization` without the owner or admin role' })
  list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListGrantsQueryDto,
  ): Promise<GrantDto[]> {
    return this.oauth.listGrants(principal, { scope: query.scope });
  }

  @Delete(':id')
  @Authenticated({ scope: Scope.Write })
  @HttpCode(200)
  @ApiOperation({
    summary: 'Revoke an OAuth grant',
    description:
      'Your own grant, or (owners and admins) any grant in your organization. Refresh tokens stop at once, access tokens within 5 seconds.',
  })
  @ApiOkResponse({ type: GrantDto })
  @ApiForbiddenResponse({ description: 'A read-only key' })
  @ApiNotFoundResponse({ description: 'No such grant that you may revoke' })
  revoke(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe({ errorHttpStatusCode: 404 })) id: string,
  ): Promise<GrantDto> {
    return this.oauth.revokeGrant(principal, id);
  }
}
