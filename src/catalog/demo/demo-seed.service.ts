import { Injectable } from '@nestjs/common';

export interface DemoSeedResult {
  /** True when this call created the demo data (first seed). */
  created: boolean;
  /** The demo users' password, only when this call created them and generated it. */
  generatedPassword?: string;
  users: string[];
  organizations: string[];
}

@Injectable()
export class DemoSeedService {
  // Implemented with the demo data set (see DOMAIN.md §7).
  seed(_options: { password?: string } = {}): Promise<DemoSeedResult> {
    return Promise.resolve({ created: false, users: [], organizations: [] });
  }
}
