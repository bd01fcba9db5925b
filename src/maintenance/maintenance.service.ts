import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { isDatabaseUnavailable } from 'src/common/errors/database-errors';
import { ClientService } from 'src/oauth/clients/client.service';

const HOUR = 3_600_000;

/**
 * Scheduled housekeeping, hourly on every instance (each step is idempotent, so instances may
 * overlap): stale dynamic clients (no live grant for 30 days), expired authorization codes, finished
 * or expired interactions and expired browser sessions.
 */
@Injectable()
export class MaintenanceService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MaintenanceService.name);
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly clients: ClientService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.runSafely(), HOUR);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** One pass; returns what was removed. */
  async run(now: Date = new Date()): Promise<Record<string, number>> {
    const staleClients = await this.clients.deleteStale(now);
    const count = async (sql: string): Promise<number> => {
      const result: unknown = await this.dataSource.query(sql, [now]);
      return Array.isArray(result) && typeof result[1] === 'number' ? result[1] : 0;
    };
    const codes = await count(
      `DELETE FROM oauth_authorization_codes WHERE expires_at < $1::timestamptz - interval '1 day'`,
    );
    const interactions = await count(
      `DELETE FROM oauth_interactions WHERE expires_at < $1::timestamptz - interval '1 day'`,
    );
    const sessions = await count(`DELETE FROM auth_sessions WHERE expires_at < $1::timestamptz`);
    return { staleClients, codes, interactions, sessions };
  }

  private async runSafely(): Promise<void> {
    try {
      const removed = await this.run();
      this.logger.log(`housekeeping: ${JSON.stringify(removed)}`);
    } catch (err) {
      if (!isDatabaseUnavailable(err))
        this.logger.warn(`housekeeping failed: ${(err as Error).message}`);
    }
  }
}
