import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CliRun,
  databases,
  embeddedEnv,
  expectFailure,
  oneJsonObject,
  pgServer,
  runCli,
  TIMEOUT,
} from 'test/support/cli';
import { createDatabase, dropDatabase } from 'test/support/postgres';

/**
 * `catalog:import` and `catalog:export` as an operator runs them: child processes on a database
 * seeded with the demo (`demo:seed`), importing the shipped example catalog into `acme`.
 */

const EXAMPLES = join(__dirname, '../../examples/catalog');

describe.each(databases)(
  'admin CLI catalog:import and catalog:export on the %s database (e2e)',
  (database) => {
    let env: Record<string, string>;
    let work: string;
    let dbName: string | undefined;
    const cli = (...args: string[]): Promise<CliRun> => runCli(args, env);

    beforeAll(async () => {
      work = await mkdtemp(join(tmpdir(), 'cli-catalog-'));
      if (database === 'embedded') env = embeddedEnv(join(work, 'data'));
      else {
        dbName = `e2e_cli_catalog_${process.pid}_${Date.now().toString(36)}`;
        env = { DATABASE_URL: await createDatabase(pgServer!, dbName) };
      }
      env.DEMO_PASSWORD = 'demo-password-for-tests';
      expect(await cli('demo:seed')).toMatchObject({ code: 0, stderr: '' });
    }, TIMEOUT);

    afterAll(async () => {
      await rm(work, { recursive: true, force: true });
      if (dbName) await dropDatabase(pgServer!, dbName);
    });

    it(
      'should report what a dry run would create, then import the example folder',
      async () => {
        const dry = await cli('catalog:import', EXAMPLES, '--org', 'acme', '--dry-run');
        expect(dry).toMatchObject({ code: 0, stderr: '' });
        const lines = dry.stdout.trimEnd().split('\n');
        expect(lines).toContain('create team web-shop (teams/web-shop.yaml)');
        expect(lines).toContain('create data product shop-orders (dataproducts/shop-orders.yaml)');
        expect(lines).toContain(
          'create data contract shop_orders_v1_contract (datacontracts/shop_orders_v1_contract.yaml)',
        );
        expect(lines.slice(-2)).toEqual([
          '0 unchanged',
          'dry run (9 created, 0 updated, 0 deleted): nothing written',
        ]);

        const run = await cli('catalog:import', EXAMPLES, '--org', 'acme', '--json');
        expect(run).toMatchObject({ code: 0, stderr: '' });
        expect(oneJsonObject(run.stdout)).toMatchObject({
          ok: true,
          dryRun: false,
          problems: [],
          // The dry run wrote nothing: everything is created now.
          summary: { created: 9, updated: 0, unchanged: 0, deleted: 0 },
        });
      },
      TIMEOUT,
    );

    it(
      'should say that a re-import has nothing to write',
      async () => {
        const run = await cli('catalog:import', EXAMPLES, '--org', 'acme');
        expect(run).toEqual({
          code: 0,
          stderr: '',
          stdout: '9 unchanged\nunchanged: nothing to write\n',
        });
      },
      TIMEOUT,
    );

    it(
      'should list every problem as file: path: message, exit 1 and apply nothing',
      async () => {
        const dir = join(work, 'broken');
        await cp(EXAMPLES, dir, { recursive: true });
        await writeFile(
          join(dir, 'teams', 'new-team.yaml'),
          'id: new-team\nname: New\ntype: Team\n',
        );
        await writeFile(join(dir, 'teams', 'squad.yaml'), 'id: squad\nname: Squad\ntype: Squad\n');
        await writeFile(join(dir, 'dataproducts', 'broken.yaml'), 'id: broken\nname: [unclosed\n');
        const product = join(dir, 'dataproducts', 'shop-orders.yaml');
        await writeFile(
          product,
          (await readFile(product, 'utf8')).replace('value: true', 'value: "yes"'),
        );

        const run = await cli('catalog:import', dir, '--org', 'acme');
        expect(run).toMatchObject({ code: 1, stderr: '' });
        const lines = run.stdout.trimEnd().split('\n');
        expect(lines).toEqual(
          expect.arrayContaining([
            expect.stringMatching(/^teams\/squad\.yaml: \$\.type: /),
            expect.stringMatching(
              /^dataproducts\/broken\.yaml: line \d+, column \d+: invalid YAML: /,
            ),
            expect.stringMatching(
              /^dataproducts\/shop-orders\.yaml: \$\.outputPorts\[0\]\.customProperties\[1\]\.value: /,
            ),
          ]),
        );
        expect(lines.at(-1)).toBe(`${lines.length - 1} problems: nothing written`);
        expect(lines.join('\n')).not.toMatch(/create team new-team/);

        const json = await cli('catalog:import', dir, '--org', 'acme', '--json');
        expect(json.code).toBe(1);
        expect(oneJsonObject(json.stdout)).toMatchObject({
          ok: false,
          problems: expect.any(Array),
        });
      },
      TIMEOUT,
    );

    it(
      'should refuse to prune what active access agreements use (the demo products are not in the folder)',
      async () => {
        const run = await cli('catalog:import', EXAMPLES, '--org', 'acme', '--prune', '--json');
        expect(run.code).toBe(1);
        const report = oneJsonObject(run.stdout) as {
          ok: boolean;
          problems: Array<{ message: string }>;
        };
        expect(report.ok).toBe(false);
        // Orders' non-PII port feeds Customer Cohorts and Shelf Warmers under active agreements.
        expect(report.problems.map((p) => p.message)).toEqual(
          expect.arrayContaining([expect.stringMatching(/data product "orders".*active/s)]),
        );
      },
      TIMEOUT,
    );

    it(
      'should export the catalog in the layout the import reads, and re-import it as a no-op',
      async () => {
        const dir = join(work, 'export');
        const run = await cli('catalog:export', '--org', 'acme', dir);
        expect(run).toMatchObject({ code: 0, stderr: '' });
        expect(run.stdout).toMatch(new RegExp(`^Wrote \\d+ files to ${dir}\\n$`));
        expect(await readdir(join(dir, 'teams'))).toEqual(
          expect.arrayContaining(['web-shop.yaml', 'checkout.yaml', 'logistics.yaml']),
        );
        expect(await readdir(join(dir, 'teams'))).not.toContain('new-team.yaml');
        expect(await readdir(join(dir, 'dataproducts'))).toEqual(
          expect.arrayContaining(['shop-orders.yaml', 'orders.yaml']),
        );
        expect(
          await readFile(join(dir, 'datacontracts', 'shop_orders_v1_contract.yaml'), 'utf8'),
        ).toMatch(/^apiVersion: v3\.1\.0\nkind: DataContract\nid: shop_orders_v1_contract\n/);

        // The whole organization is in the folder, so even --prune has nothing to do.
        const again = await cli('catalog:import', dir, '--org', 'acme', '--prune');
        expect(again).toMatchObject({ code: 0, stderr: '' });
        expect(again.stdout).toMatch(/^\d+ unchanged\nunchanged: nothing to write\n$/);

        const refused = await cli('catalog:export', '--org', 'acme', dir);
        expectFailure(refused, 1, /is not empty: .*--force/);

        await writeFile(join(dir, 'teams', 'gone.yaml'), 'id: gone\nname: Gone\ntype: Team\n');
        const forced = await cli('catalog:export', '--org', 'acme', dir, '--force', '--json');
        expect(forced).toMatchObject({ code: 0, stderr: '' });
        expect(oneJsonObject(forced.stdout)).toMatchObject({ removed: ['teams/gone.yaml'] });
      },
      TIMEOUT,
    );

    it(
      'should want the path and an organization that exists',
      async () => {
        const [noPath, noOrg] = await Promise.all([
          cli('catalog:import', '--org', 'acme'),
          cli('catalog:import', EXAMPLES, '--org', 'nope'),
        ]);
        expectFailure(noPath, 2, /^error: catalog:import: missing PATH\n$/);
        expectFailure(noOrg, 1, /Organization nope not found/);
      },
      TIMEOUT,
    );
  },
);
