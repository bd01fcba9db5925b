import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsIn, MaxLength } from 'class-validator';
import { ORGANIZATION_ROLES, type OrganizationRole } from 'src/auth/principal';

const ROLE_HELP =
  'owner: everything, including ownership changes (only owners grant or take it); admin: manages members, keys, clients and grants, reads the audit log; member: uses the catalog.';

export class AddMemberDto {
  @ApiProperty({
    example: 'bob@acme.example',
    description: 'Email of an existing account. Case does not matter.',
    maxLength: 320,
  })
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(320)
  email: string;

  @ApiProperty({ enum: ORGANIZATION_ROLES, example: 'member', description: ROLE_HELP })
  @IsIn(ORGANIZATION_ROLES, { message: `role must be one of ${ORGANIZATION_ROLES.join(', ')}` })
  role: OrganizationRole;
}

export class UpdateMemberDto {
  @ApiProperty({ enum: ORGANIZATION_ROLES, example: 'admin', description: ROLE_HELP })
  @IsIn(ORGANIZATION_ROLES, { message: `role must be one of ${ORGANIZATION_ROLES.join(', ')}` })
  role: OrganizationRole;
}

export class MemberDto {
  @ApiProperty({ format: 'uuid', example: '5d2f7c1e-8a0b-4b57-9d61-3c7e2a1f9b10' }) userId: string;
  @ApiProperty({ example: 'bob@acme.example' }) email: string;
  @ApiProperty({ example: 'Bob Builder' }) name: string;
  @ApiProperty({ enum: ORGANIZATION_ROLES, example: 'member' }) role: OrganizationRole;
  @ApiProperty({ description: 'The account is disabled (it cannot sign in or use keys).' })
  disabled: boolean;
  @ApiProperty({ format: 'date-time', example: '2026-11-30T09:15:02.120Z' }) joinedAt: string;
}

export class RemovedMemberDto extends MemberDto {
  @ApiProperty({
    example: 2,
    description:
      'OAuth grants (connected apps) of this person in the organization that were revoked with the membership.',
  })
  revokedGrants: number;
}
