import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { Scope } from 'src/auth/scopes';
import { Authenticated } from 'src/auth/decorators/authenticated.decorator';
import { CurrentPrincipal } from 'src/auth/decorators/principal.decorator';
import type { Principal } from 'src/auth/principal';
import {
  AddMemberDto,
  MemberDto,
  RemovedMemberDto,
  UpdateMemberDto,
} from 'src/members/dto/member.dto';
import { MembersService } from 'src/members/members.service';

const userIdPipe = new ParseUUIDPipe({ errorHttpStatusCode: 404 });

@ApiTags('members')
@ApiParam({ name: 'slug', example: 'acme', description: 'Your organization (the credential’s).' })
@ApiNotFoundResponse({ description: 'Not your organization, or no such member in it' })
@Controller('api/v1/organizations/:slug/members')
export class MembersController {
  constructor(private readonly members: MembersService) {}

  @Get()
  @Authenticated()
  @ApiOperation({
    summary: 'List members',
    description:
      'Everyone in the organization with email and role. Owners, admins and organization keys; members get 403.',
  })
  @ApiOkResponse({ type: MemberDto, isArray: true })
  @ApiForbiddenResponse({ description: 'Members cannot list the organization' })
  list(
    @CurrentPrincipal() principal: Principal,
    @Param('slug') slug: string,
  ): Promise<MemberDto[]> {
    return this.members.list(principal, slug);
  }

  @Post()
  @Authenticated({ scope: Scope.Write })
  @ApiOperation({
    summary: 'Add an existing user',
    description: 'Owners and admins; only owners can add someone as owner.',
  })
  @ApiCreatedResponse({ type: MemberDto })
  @ApiBadRequestResponse({ description: 'Bad email or role, or unknown fields' })
  @ApiForbiddenResponse({
    description: 'Not an owner or admin, a read-only key, or owner role by a non-owner',
  })
  @ApiConflictResponse({ description: 'Already a member' })
  add(
    @CurrentPrincipal() principal: Principal,
    @Param('slug') slug: string,
    @Body() dto: AddMemberDto,
  ): Promise<MemberDto> {
    return this.members.add(principal, slug, dto);
  }

  @Patch(':userId')
  @Authenticated({ scope: Scope.Write })
  @ApiOperation({
    summary: 'Change a member’s role',
    description: 'Owners and admins; only owners grant or take away the owner role.',
  })
  @ApiOkResponse({ type: MemberDto })
  @ApiForbiddenResponse({ description: 'Not allowed to make or unmake owners, or a read-only key' })
  @ApiConflictResponse({ description: 'The organization would be left without an owner' })
  changeRole(
    @CurrentPrincipal() principal: Principal,
    @Param('slug') slug: string,
    @Param('userId', userIdPipe) userId: string,
    @Body() dto: UpdateMemberDto,
  ): Promise<MemberDto> {
    return this.members.changeRole(principal, slug, userId, dto.role);
  }

  @Delete(':userId')
  @Authenticated({ scope: Scope.Write })
  @HttpCode(200)
  @ApiOperation({
    summary: 'Remove a member',
    description:
      'Their API keys and access tokens for this organization stop within 5 seconds; their OAuth grants here are revoked at once (refresh tokens die). Only owners remove owners.',
  })
  @ApiOkResponse({ type: RemovedMemberDto })
  @ApiForbiddenResponse({ description: 'Not an owner or admin, or an admin removing an owner' })
  @ApiConflictResponse({ description: 'The organization would be left without an owner' })
  remove(
    @CurrentPrincipal() principal: Principal,
    @Param('slug') slug: string,
    @Param('userId', userIdPipe) userId: string,
  ): Promise<RemovedMemberDto> {
    return this.members.remove(principal, slug, userId);
  }
}
