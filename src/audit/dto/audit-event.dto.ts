import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { AUDIT_EVENT_TYPES, AuditEventType, type AuditDetails } from 'src/audit/audit-event.types';

export const MAX_AUDIT_PAGE = 100;
export const DEFAULT_AUDIT_PAGE = 50;

export class ListAuditEventsQueryDto {
  @ApiPropertyOptional({ enum: AUDIT_EVENT_TYPES, example: AuditEventType.ApiKeyCreated })
  @IsOptional()
  @IsIn(AUDIT_EVENT_TYPES)
  type?: AuditEventType;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Events this user did (actor) or that were about them (target user).',
  })
  @IsOptional()
  @IsUUID()
  userId?: string;

  @ApiPropertyOptional({
    format: 'date-time',
    example: '2026-11-01T00:00:00Z',
    description: 'Only events at or after this ISO 8601 date-time.',
  })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'from must be an ISO 8601 date or date-time' })
  from?: string;

  @ApiPropertyOptional({
    format: 'date-time',
    example: '2026-12-01T00:00:00Z',
    description: 'Only events before this ISO 8601 date-time (exclusive).',
  })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'to must be an ISO 8601 date or date-time' })
  to?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_AUDIT_PAGE, default: DEFAULT_AUDIT_PAGE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_AUDIT_PAGE)
  limit?: number;

  @ApiPropertyOptional({ description: '`nextCursor` of the previous page, unchanged.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}

export class AuditEventDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: AUDIT_EVENT_TYPES, example: AuditEventType.MembershipRoleChanged })
  type: AuditEventType;
  @ApiProperty({ format: 'date-time', example: '2026-11-30T09:15:02.120Z' }) createdAt: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) organizationId: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) actorUserId: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'alice@acme.example' })
  actorEmail: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) actorApiKeyId: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    example: 'https://claude.ai/oauth/mcp-oauth-client-metadata',
    description: 'The OAuth client_id the actor used, if any.',
  })
  actorClientId: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    enum: ['api_key', 'user', 'oauth_grant', 'oauth_client', 'tool'],
    example: 'user',
  })
  targetType: string | null;
  @ApiProperty({ nullable: true, type: String, example: '5d2f7c1e-8a0b-4b57-9d61-3c7e2a1f9b10' })
  targetId: string | null;
  @ApiProperty({ nullable: true, type: String, example: '203.0.113.7' }) ip: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'claude-code/2.0.14' })
  userAgent: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { from: 'member', to: 'admin' },
    description: 'Facts about the event (roles, reasons, names, counts). Never a secret.',
  })
  details: AuditDetails;
}

export class AuditEventPageDto {
  @ApiProperty({ type: [AuditEventDto], description: 'Newest first.' }) items: AuditEventDto[];
  @ApiProperty({
    nullable: true,
    type: String,
    example: 'MjAyNi0xMS0zMFQwOToxNTowMi4xMjAwMDBafDVkMmY3YzFl',
    description: 'Pass as `cursor` for the next (older) page; null on the last page.',
  })
  nextCursor: string | null;
}
