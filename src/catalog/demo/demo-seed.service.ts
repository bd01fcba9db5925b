import { randomInt } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DEMO_DATA } from 'src/catalog/demo/demo-data';
import { seedDay } from 'src/catalog/demo/demo-model';
import {
  seedAgreements,
  seedContracts,
  seedExampleTables,
  seedInputPorts,
  seedOutputPorts,
  seedProducts,
} from 'src/catalog/demo/demo-seed.catalog';
import { DemoSeedContext } from 'src/catalog/demo/demo-seed.context';
import {
  seedCertifications,
  seedMemberships,
  seedOrganizations,
  seedTeams,
  seedUsers,
} from 'src/catalog/demo/demo-seed.people';
import { invalidArgument } from 'src/common/errors/domain-error';
import { hashPassword, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from 'src/users/password';

export interface DemoSeedResult {
  /** True when this call created the demo data (first seed). */
  created: boolean;
  /** The demo users' password, only when this call created them and generated it. */
  generatedPassword?: string;
  users: string[];
  organizations: string[];
}

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const GENERATED_PASSWORD_LENGTH = 24;

/** A crypto-random base62 password (about 143 bits). */
export function generateDemoPassword(length = GENERATED_PASSWORD_LENGTH): string {
  return Array.from({ length }, () => BASE62[randomInt(BASE62.length)]).join('');
}

@Injectable()
export class DemoSeedService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Seeds the demo data set (README, Demo data) in one transaction. Idempotent: whatever already
   * exists (by slug, email or external id) is left as it is, so a second call changes nothing and
   * returns `created: false`. Existing users keep their passwords.
   */
  async seed(options: { password?: string } = {}): Promise<DemoSeedResult> {
    const given = options.password;
    if (
      given !== undefined &&
      (given.length < MIN_PASSWORD_LENGTH || given.length > MAX_PASSWORD_LENGTH)
    ) {
      throw invalidArgument(
        `The demo password must be ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters long`,
      );
    }
    const password = given ?? generateDemoPassword();
    let hash: Promise<string> | undefined;
    const outcome = await this.dataSource.transaction((tx) =>
      this.write(tx, () => (hash ??= hashPassword(password))),
    );
    return {
      created: outcome.inserted > 0,
      ...(given === undefined && outcome.usersCreated > 0 ? { generatedPassword: password } : {}),
      users: DEMO_DATA.users.map((u) => u.email),
      organizations: DEMO_DATA.organizations.map((o) => o.slug),
    };
  }

  /** All steps on the transaction's EntityManager only (see {@link DemoSeedContext}). */
  private async write(
    tx: EntityManager,
    passwordHash: () => Promise<string>,
  ): Promise<{ inserted: number; usersCreated: number }> {
    const ctx = new DemoSeedContext(tx, DEMO_DATA, seedDay());
    await ctx.lock();
    await seedOrganizations(ctx);
    const usersCreated = await seedUsers(ctx, passwordHash);
    await seedMemberships(ctx);
    await seedTeams(ctx);
    await seedCertifications(ctx);
    await seedContracts(ctx);
    await seedProducts(ctx);
    await seedOutputPorts(ctx);
    await seedInputPorts(ctx);
    await seedExampleTables(ctx);
    await seedAgreements(ctx);
    return { inserted: ctx.inserted, usersCreated };
  }
}
