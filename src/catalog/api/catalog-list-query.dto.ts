import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';

/** Query of the list endpoints: the filters the MCP tools have, and cursor pagination. */
export class CatalogListQueryDto {
  @ApiPropertyOptional({
    description: 'Words to look for in ids, names, descriptions and tags; `*` or none for all.',
    example: 'orders',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({
    description:
      'A team id: what it and its sub-teams own (for teams: the team and its sub-teams).',
    example: 'checkout',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  teamId?: string;

  @ApiPropertyOptional({
    description: 'Data products and contracts only.',
    enum: ['proposed', 'draft', 'active', 'deprecated', 'retired'],
  })
  @IsOptional()
  @IsString()
  status?: string;

  @ApiPropertyOptional({ description: 'A tag (any case).', example: 'sales' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  tag?: string;

  @ApiPropertyOptional({ description: '1 to 100.', default: 20, example: 20 })
  @IsOptional()
  @Matches(/^\d{1,3}$/, { message: 'limit must be an integer from 1 to 100' })
  limit?: string;

  @ApiPropertyOptional({ description: 'The `nextCursor` of the previous page, unchanged.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}
