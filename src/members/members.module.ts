import { Module } from '@nestjs/common';
import { AuditModule } from 'src/audit/audit.module';
import { MembersController } from 'src/members/members.controller';
import { MembersService } from 'src/members/members.service';
import { GrantsModule } from 'src/oauth/grants/grants.module';
import { UsersModule } from 'src/users/users.module';

/**
 * Organization members: the admin API (`/api/v1/organizations/{slug}/members`), and the service the
 * settings pages and the admin CLI call.
 */
@Module({
  // Every change is audited (AuditModule is global in the server, but not in the CLI); UsersModule
  // registers the Membership and Organization entities the service reads.
  imports: [AuditModule, GrantsModule, UsersModule],
  controllers: [MembersController],
  providers: [MembersService],
  exports: [MembersService],
})
export class MembersModule {}
