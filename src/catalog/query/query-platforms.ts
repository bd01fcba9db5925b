import { Inject, Injectable } from '@nestjs/common';
import {
  QUERY_PLATFORMS,
  type QueryPlatform,
  type QueryPort,
} from 'src/catalog/query/query-platform';

/** Chooses the platform that answers a port's queries: the first in QUERY_PLATFORMS that serves it. */
@Injectable()
export class QueryPlatforms {
  constructor(@Inject(QUERY_PLATFORMS) private readonly platforms: readonly QueryPlatform[]) {}

  async for(port: QueryPort): Promise<QueryPlatform> {
    for (const platform of this.platforms) {
      if (await platform.serves(port)) return platform;
    }
    throw new Error(`No query platform serves ${port.ref}`);
  }
}
