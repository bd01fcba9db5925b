import { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import type { DemoDataSet } from 'src/catalog/demo/demo-data';

/** Serialises concurrent seeds (two instances starting at once) on PostgreSQL. */
const SEED_LOCK_KEY = 7_242_025_001;

export interface SeedRow<E> {
  key: string;
  values: Partial<E>;
}

/**
 * State of one seed run inside one transaction: the transaction's EntityManager (the only database
 * handle a seed step may use: on the embedded database the pool has a single connection), the ids
 * found or created so far by fixed key, and the number of rows inserted.
 *
 * Keys: `org:<slug>`, `user:<email>`, `<kind>:<organizationId>/<externalId or name>`, …
 */
export class DemoSeedContext {
  inserted = 0;
  private readonly ids = new Map<string, string>();
  /** Owner team of each data product; data product of each output port (by id). */
  readonly productTeam = new Map<string, string>();
  readonly portProduct = new Map<string, string>();

  constructor(
    readonly tx: EntityManager,
    readonly data: DemoDataSet,
    /** The seed day, `YYYY-MM-DD`. */
    readonly day: string,
  ) {}

  lock(): Promise<unknown> {
    return this.tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [SEED_LOCK_KEY]);
  }

  has(key: string): boolean {
    return this.ids.has(key);
  }

  remember(key: string, id: string): void {
    this.ids.set(key, id);
  }

  id(key: string): string {
    const id = this.ids.get(key);
    if (!id) throw new Error(`Demo data: unresolved reference ${key}`);
    return id;
  }

  org(slug: string): string {
    return this.id(`org:${slug}`);
  }

  orgIds(): string[] {
    return this.data.organizations.map((o) => this.org(o.slug));
  }

  user(email: string): string {
    return this.id(`user:${email}`);
  }

  /** The key of an organization-scoped object: `<kind>:<organizationId>/<externalId>`. */
  scoped(kind: string, slug: string, externalId: string): string {
    return `${kind}:${this.org(slug)}/${externalId}`;
  }

  /** Inserts the rows whose key is not known yet and records their new ids. */
  async insertMissing<E extends ObjectLiteral>(
    entity: EntityTarget<E>,
    rows: Array<SeedRow<E>>,
  ): Promise<number> {
    const missing = rows.filter((r) => !this.ids.has(r.key));
    if (missing.length === 0) return 0;
    const result = await this.tx.insert(
      entity,
      missing.map((r) => r.values as QueryDeepPartialEntity<E>),
    );
    missing.forEach((r, i) => {
      const id = (result.identifiers[i] as { id?: string } | undefined)?.id;
      // Tables with a composite key have no `id`: the key itself marks the row as present.
      this.ids.set(r.key, id ?? r.key);
    });
    this.inserted += missing.length;
    return missing.length;
  }
}
