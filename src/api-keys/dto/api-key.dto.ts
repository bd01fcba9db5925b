import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsDate, IsIn, IsOptional, IsString, Length, MinDate } from 'class-validator';
import type { ApiKeyKind } from 'src/api-keys/api-key.entity';

export class CreateApiKeyDto {
  @ApiProperty({ example: 'Claude Code on my laptop', minLength: 1, maxLength: 100 })
  @IsString()
  @Length(1, 100)
  name: string;

  @ApiPropertyOptional({
    example: '2027-01-31T00:00:00.000Z',
    description: 'When the key stops working. Omit for no expiry.',
  })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'expiresAt must be an ISO 8601 date-time' })
  @MinDate(() => new Date(), { message: 'expiresAt must be in the future' })
  expiresAt?: Date;

  @ApiPropertyOptional({
    default: false,
    description: 'A read-only key can call read tools only and cannot change anything.',
  })
  @IsOptional()
  @IsBoolean()
  readOnly?: boolean;

  @ApiPropertyOptional({
    enum: ['user', 'organization'],
    default: 'user',
    description:
      'user: acts as you (usable for MCP). organization: organization-level key for the admin API only (owners).',
  })
  @IsOptional()
  @IsIn(['user', 'organization'])
  kind?: ApiKeyKind;
}

export class ApiKeyDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'Claude Code on my laptop' }) name: string;
  @ApiProperty({ enum: ['user', 'organization'] }) kind: ApiKeyKind;
  @ApiProperty({
    example: 'ed_4fQz…9aBc',
    description: 'Recognisable part of the key; never the key.',
  })
  displayHint: string;
  @ApiProperty({ format: 'uuid' }) organizationId: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) userId: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'alice@acme.example' })
  userEmail: string | null;
  @ApiProperty() readOnly: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lastUsedAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) expiresAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) revokedAt: string | null;
}

export class CreatedApiKeyDto extends ApiKeyDto {
  @ApiProperty({
    example: 'ed_0123456789abcdefghijABCDEFGHIJ0a1b2c',
    description: 'The secret. Shown only in this response: store it now.',
  })
  key: string;
}

export class ListApiKeysQueryDto {
  @ApiPropertyOptional({
    enum: ['mine', 'organization'],
    default: 'mine',
    description: 'organization: every key of the organization (owners and admins).',
  })
  @IsOptional()
  @IsIn(['mine', 'organization'])
  scope?: 'mine' | 'organization';
}
