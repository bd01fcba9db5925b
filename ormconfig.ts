import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadAppConfig } from 'src/config/app.config';
import { buildDataSourceOptions } from 'src/database/data-source';

/**
 * For the TypeORM CLI (`npm run migration:run|revert|generate`): the same data-source definition the
 * app uses, on whichever database the environment configures (DATABASE_URL, else DATA_DIR).
 */
export default new DataSource(buildDataSourceOptions(loadAppConfig().database));
