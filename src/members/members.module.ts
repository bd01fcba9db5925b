import { Module } from '@nestjs/common';
import { MembersController } from 'src/members/members.controller';
import { MembersService } from 'src/members/members.service';
import { GrantsModule } from 'src/oauth/grants/grants.module';

/** Organization members through the admin API (`/api/v1/organizations/{slug}/members`). */
@Module({
  imports: [GrantsModule],
  controllers: [MembersController],
  providers: [MembersService],
  exports: [MembersService],
})
export class MembersModule {}
