import 'reflect-metadata';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { loadAppConfig } from 'src/config/app.config';
import { buildDataSourceOptions } from 'src/database/data-source';

/**
 * For the TypeORM CLI (`npm run migration:run|revert|generate`): the same data-source definition the
 * app uses, on whichever database the environment configures (DATABASE_URL, else DATA_DIR).
 * Running and reverting migrations needs no entities; `migration:generate` compares the schema with
 * them, so the entity files (`*.entity.ts`) that the feature modules register are loaded here by name,
 * outside Nest, without a list to keep.
 */
export default new DataSource({
  ...buildDataSourceOptions(loadAppConfig().database),
  entities: [join(__dirname, 'src/**/*.entity.ts')],
});
