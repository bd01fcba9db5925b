import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OAuthGrant } from 'src/oauth/entities';
import { GrantService } from 'src/oauth/grants/grant.service';

/** Grants (consent, unit of revocation), shared by the authorize and token endpoints. */
@Module({
  imports: [TypeOrmModule.forFeature([OAuthGrant])],
  providers: [GrantService],
  exports: [GrantService],
})
export class GrantsModule {}
