import {
  Body,
  Controller,
  Delete,
  Get,
  Header,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
} from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ApiKeyService } from 'src/api-keys/api-key.service';
import {
  ApiKeyDto,
  CreateApiKeyDto,
  CreatedApiKeyDto,
  ListApiKeysQueryDto,
} from 'src/api-keys/dto/api-key.dto';
import { Scope } from 'src/auth/scopes';
import { Authenticated } from 'src/auth/decorators/authenticated.decorator';
import { CurrentPrincipal } from 'src/auth/decorators/principal.decorator';
import type { Principal } from 'src/auth/principal';

@ApiTags('api-keys')
@Controller('api/v1/api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeyService) {}

  @Post()
  @Authenticated({ scope: Scope.Write })
  @Header('cache-control', 'no-store')
  @ApiOperation({
    summary: 'Create an API key',
    description:
      'A user key acts as its user in the organization (usable for MCP); `kind: organization` creates an organization-level key for the admin API (owners only). The secret is returned once.',
  })
  @ApiCreatedResponse({ type: CreatedApiKeyDto })
  @ApiForbiddenResponse({
    description: 'Read-only key, or organization key creation without the owner role',
  })
  create(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: CreateApiKeyDto,
  ): Promise<CreatedApiKeyDto> {
    return this.keys.create(principal, dto);
  }

  @Get()
  @Authenticated()
  @ApiOperation({
    summary: 'List API keys',
    description:
      'Your keys, or with `scope=organization` every key of the organization (owners and admins). Never secrets.',
  })
  @ApiOkResponse({ type: ApiKeyDto, isArray: true })
  list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListApiKeysQueryDto,
  ): Promise<ApiKeyDto[]> {
    return this.keys.list(principal, { scope: query.scope });
  }

  @Delete(':id')
  @Authenticated({ scope: Scope.Write })
  @HttpCode(200)
  @ApiOperation({
    summary: 'Revoke an API key',
    description: 'Stops working within 5 seconds on every instance.',
  })
  @ApiOkResponse({ type: ApiKeyDto })
  @ApiNotFoundResponse({ description: 'No such key in your organization' })
  revoke(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe({ errorHttpStatusCode: 404 })) id: string,
  ): Promise<ApiKeyDto> {
    return this.keys.revoke(principal, id);
  }
}
