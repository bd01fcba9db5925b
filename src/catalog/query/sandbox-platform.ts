import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { QuerySourceDto } from 'src/catalog/dto/query.dto';
import { ExampleTable } from 'src/catalog/entities';
import { buildSetup } from 'src/catalog/query/engine-tables';
import { QueryEngine } from 'src/catalog/query/query-engine';
import type {
  QueryOutcome,
  QueryPlatform,
  QueryPort,
  QueryRequest,
  QueryTable,
} from 'src/catalog/query/query-platform';

/**
 * The isolated sandbox of execute_query: a worker with its own PGlite holding only the port's
 * example tables, restricted columns left out. It serves every port, so it is the registry's last
 * resort.
 */
@Injectable()
export class SandboxPlatform implements QueryPlatform {
  readonly engine = 'sandbox';

  constructor(
    private readonly engineRunner: QueryEngine,
    @InjectRepository(ExampleTable) private readonly exampleTables: Repository<ExampleTable>,
  ) {}

  get timeoutMs(): number {
    return this.engineRunner.timeoutMs;
  }

  serves(): Promise<boolean> {
    return Promise.resolve(true);
  }

  async tables(port: QueryPort): Promise<QueryTable[]> {
    const tables = await this.exampleTables.find({
      where: { organizationId: port.organizationId, outputPortId: port.id },
      order: { tableName: 'ASC' },
    });
    return tables.map((t) => ({ name: t.tableName, columns: t.columns, rows: t.rows }));
  }

  source(): QuerySourceDto {
    return { engine: this.engine };
  }

  async run(request: QueryRequest): Promise<QueryOutcome> {
    const setup = buildSetup(
      request.tables.map((t) => ({ tableName: t.name, columns: t.columns, rows: t.rows ?? [] })),
      request.hiddenColumns,
    );
    const key = createHash('sha256')
      .update(request.port.id)
      .update(JSON.stringify(setup))
      .digest('hex');
    try {
      return await this.engineRunner.run(key, setup, request.sql, request.maxRows);
    } catch {
      return {
        kind: 'unavailable',
        message: 'The query engine could not start; try again shortly',
      };
    }
  }
}
