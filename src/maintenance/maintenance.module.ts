import { Module } from '@nestjs/common';
import { MaintenanceService } from 'src/maintenance/maintenance.service';
import { ClientsModule } from 'src/oauth/clients/clients.module';

@Module({
  imports: [ClientsModule],
  providers: [MaintenanceService],
  exports: [MaintenanceService],
})
export class MaintenanceModule {}
