import { Module } from '@nestjs/common';
import { UsersModule } from 'src/users/users.module';
import { DemoSeedService } from 'src/catalog/demo/demo-seed.service';

@Module({
  imports: [UsersModule],
  providers: [DemoSeedService],
  exports: [DemoSeedService],
})
export class CatalogModule {}
