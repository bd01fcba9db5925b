import 'tsconfig-paths/register';
import { dropDatabase } from 'test/support/postgres';

export default async function globalTeardown(): Promise<void> {
  const url = process.env.E2E_PG_SERVER_URL;
  const template = process.env.E2E_PG_TEMPLATE;
  if (url && template) await dropDatabase(url, template);
}
