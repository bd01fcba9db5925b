import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

const BOOLEAN = ['true', 'false'] as const;

export class ImportQueryDto {
  @ApiPropertyOptional({
    enum: BOOLEAN,
    default: 'false',
    description: 'Validate and report what would change; write nothing.',
  })
  @IsOptional()
  @IsIn(BOOLEAN, { message: 'dryRun must be true or false' })
  dryRun?: 'true' | 'false';

  @ApiPropertyOptional({
    enum: BOOLEAN,
    default: 'false',
    description:
      'Delete the teams, data products and contracts the import does not hold (refused for what an active access agreement uses).',
  })
  @IsOptional()
  @IsIn(BOOLEAN, { message: 'prune must be true or false' })
  prune?: 'true' | 'false';
}
