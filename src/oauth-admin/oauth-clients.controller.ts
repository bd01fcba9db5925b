import { Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe } from '@nestjs/common';
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
import { ClientRevocationDto, ConnectedClientDto } from 'src/oauth-admin/dto/oauth-admin.dto';
import { OAuthAdminService } from 'src/oauth-admin/oauth-admin.service';

@ApiTags('connected apps')
@Controller('api/v1/oauth/clients')
export class OAuthClientsController {
  constructor(private readonly oauth: OAuthAdminService) {}

  @Get()
  @Authenticated()
  @ApiOperation({
    summary: 'List connected apps',
    description:
      'OAuth clients with active grants in your organization: name, kind, redirect hosts, number of grants and people, last use. Owners, admins and organization keys.',
  })
  @ApiOkResponse({ type: ConnectedClientDto, isArray: true })
  @ApiForbiddenResponse({ description: 'Members cannot list the organization’s apps' })
  list(@CurrentPrincipal() principal: Principal): Promise<ConnectedClientDto[]> {
    return this.oauth.listClients(principal);
  }

  @Delete(':id')
  @Authenticated({ scope: Scope.Write })
  @HttpCode(200)
  @ApiOperation({
    summary: 'Disconnect an app from the organization',
    description:
      'Revokes every grant of this client in your organization: refresh tokens stop at once, access tokens within 5 seconds. The client stays registered; people can connect it again.',
  })
  @ApiOkResponse({ type: ClientRevocationDto })
  @ApiForbiddenResponse({ description: 'Not an owner or admin, or a read-only key' })
  @ApiNotFoundResponse({ description: 'No such client with grants in your organization' })
  revoke(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe({ errorHttpStatusCode: 404 })) id: string,
  ): Promise<ClientRevocationDto> {
    return this.oauth.revokeClient(principal, id);
  }
}
