import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

export class ConnectedClientDto {
  @ApiProperty({
    format: 'uuid',
    example: '9f1c2d3e-4f50-4b7e-8a51-5b4e4c1e9a3e',
    description: 'Use this id in DELETE /api/v1/oauth/clients/{id}.',
  })
  id: string;
  @ApiProperty({
    example: 'https://claude.ai/oauth/mcp-oauth-client-metadata',
    description: 'The public OAuth client_id (generated, or the metadata document URL).',
  })
  clientId: string;
  @ApiProperty({ example: 'Claude' }) clientName: string;
  @ApiProperty({ enum: ['dynamic', 'metadata_document'], example: 'metadata_document' })
  kind: 'dynamic' | 'metadata_document';
  @ApiProperty({ type: [String], example: ['claude.ai'] }) redirectHosts: string[];
  @ApiProperty({ example: 3, description: 'Active grants in your organization.' })
  activeGrants: number;
  @ApiProperty({ example: 2, description: 'People with an active grant for this client.' })
  users: number;
  @ApiProperty({ format: 'date-time', description: 'First active grant in your organization.' })
  connectedAt: string;
  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    description: 'Last use of any of its grants in your organization.',
  })
  lastUsedAt: string | null;
}

export class ClientRevocationDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'https://claude.ai/oauth/mcp-oauth-client-metadata' }) clientId: string;
  @ApiProperty({ example: 'Claude' }) clientName: string;
  @ApiProperty({ example: 3, description: 'Grants revoked now (0 if all were revoked already).' })
  revokedGrants: number;
}

export class GrantOrganizationDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'acme' }) slug: string;
  @ApiProperty({ example: 'ACME Corp' }) name: string;
}

export class GrantDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'https://claude.ai/oauth/mcp-oauth-client-metadata' }) clientId: string;
  @ApiProperty({ example: 'Claude' }) clientName: string;
  @ApiProperty({ type: [String], example: ['claude.ai'] }) redirectHosts: string[];
  @ApiProperty({ example: 'mcp:read mcp:write' }) scope: string;
  @ApiProperty({ type: GrantOrganizationDto }) organization: GrantOrganizationDto;
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty({ example: 'alice@acme.example' }) userEmail: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lastUsedAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) revokedAt: string | null;
}

export class ListGrantsQueryDto {
  @ApiPropertyOptional({
    enum: ['mine', 'organization'],
    default: 'mine',
    description: 'organization: every active grant of the organization (owners and admins).',
  })
  @IsOptional()
  @IsIn(['mine', 'organization'])
  scope?: 'mine' | 'organization';
}
